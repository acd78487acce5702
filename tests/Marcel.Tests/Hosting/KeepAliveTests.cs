using System.Net;
using System.Net.Sockets;
using Marcel.Core.Hosting;
using Marcel.Tests.Support;

namespace Marcel.Tests.Hosting;

/// <summary>The keepalive settings really reach the sockets the server accepts (the half-open tests show their effect).</summary>
public class KeepAliveTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(5, 5)]
    [InlineData(60, 10)]
    [InlineData(3600, 10)]
    public void Probes_come_every_idle_time_but_at_most_every_10_s_so_a_dead_peer_is_found_within_idle_plus_30_s(int idle, int interval)
    {
        var keepAlive = new TcpKeepAlive(TimeSpan.FromSeconds(idle));
        Assert.Equal(TimeSpan.FromSeconds(interval), keepAlive.Interval);
        Assert.Equal(3, keepAlive.ProbeCount);
        Assert.InRange(keepAlive.DetectionBound, keepAlive.Idle, keepAlive.Idle + TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void The_default_probes_after_60_s_and_finds_a_dead_peer_within_90_s()
    {
        Assert.Equal(TimeSpan.FromSeconds(60), new ServerLimits().KeepAlive!.Idle);
        Assert.Equal(TimeSpan.FromSeconds(90), TcpKeepAlive.Default.DetectionBound);
    }

    [Fact]
    public async Task An_accepted_socket_carries_the_keepalive_settings()
    {
        int[] seen = await AcceptedSocketOptionsAsync(new ServerLimits { KeepAlive = new TcpKeepAlive(TimeSpan.FromSeconds(7)) });
        Assert.Equal([1, 7, 7, 3], seen[..4]);
    }

    [Fact]
    public async Task On_linux_unacknowledged_data_is_bounded_by_the_same_detection_time()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip("TCP_USER_TIMEOUT is a Linux option.");
        }

        var keepAlive = new TcpKeepAlive(TimeSpan.FromSeconds(7));
        int[] seen = await AcceptedSocketOptionsAsync(new ServerLimits { KeepAlive = keepAlive });
        Assert.Equal((int)keepAlive.DetectionBound.TotalMilliseconds, seen[4]);
    }

    [Fact]
    public async Task Without_keepalive_an_accepted_socket_is_left_as_the_system_makes_it()
    {
        int[] seen = await AcceptedSocketOptionsAsync(new ServerLimits { KeepAlive = null });
        Assert.Equal(0, seen[0]);
    }

    // TCP_USER_TIMEOUT in milliseconds (IPPROTO_TCP 6, option 18 in linux/tcp.h); 0 where there is no such option.
    private static int UserTimeout(Socket socket)
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        byte[] value = new byte[4];
        socket.GetRawSocketOption(6, 18, value);
        return BitConverter.ToInt32(value);
    }

    // SO_KEEPALIVE, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT, TCP_USER_TIMEOUT as read back from the socket the server accepted.
    private static async Task<int[]> AcceptedSocketOptionsAsync(ServerLimits limits)
    {
        var seen = new TaskCompletionSource<int[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using TcpServerHost host = await TestHost.StartAsync(connection =>
        {
            Socket socket = connection.Socket();
            seen.TrySetResult(
            [
                (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive)!,
                (int)socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime)!,
                (int)socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval)!,
                (int)socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount)!,
                UserTimeout(socket),
            ]);
            return Task.CompletedTask;
        }, limits);

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, host.Port()), Timeouts.StepToken());
        return await seen.Task.WaitAsync(Timeouts.Step, TestContext.Current.CancellationToken);
    }
}
