using System.Net;
using System.Net.Sockets;
using Marcel.Core.Hosting;
using Marcel.Core.Transport;
using Marcel.Tests.Support;

namespace Marcel.Tests.Hosting;

/// <summary>The host's connection count and limit, in process: what a stranger can hold, and that it all comes back.</summary>
public class ConnectionLimitTests
{
    [Fact]
    public async Task Past_the_limit_a_newcomer_is_told_the_server_is_busy_and_room_frees_up_when_one_leaves()
    {
        await using TcpServerHost host = await StartAsync(new ServerLimits { MaxConnections = 2, BusyNotice = BusyNotice.Line });
        int port = host.Port();
        await using LineClient first = await LineClient.ConnectAsync(port);
        await using LineClient second = await LineClient.ConnectAsync(port);
        Assert.Equal("hello", await first.ReadLineAsync());
        Assert.Equal("hello", await second.ReadLineAsync());

        await using (LineClient third = await LineClient.ConnectAsync(port))
        {
            Assert.Equal(["Server busy: 2 connections already open. Try again later."], await third.ReadToEndAsync());
        }

        await first.DisposeAsync();
        await WaitForCountAsync(host, 1);
        await using LineClient fourth = await LineClient.ConnectAsync(port);
        Assert.Equal("hello", await fourth.ReadLineAsync());
    }

    [Fact]
    public async Task After_two_thousand_connections_closed_or_reset_the_count_is_back_to_zero()
    {
        await using TcpServerHost host = await StartAsync(new ServerLimits());
        int port = host.Port();
        byte[] greeting = new byte[16];
        for (int i = 0; i < 2000; i++)
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), Timeouts.StepToken());
            await socket.ReceiveAsync(greeting, SocketFlags.None, Timeouts.StepToken());
            if (i % 2 == 0)
            {
                socket.LingerState = new LingerOption(true, 0);
            }
        }

        await WaitForCountAsync(host, 0);
    }

    // Greets, then reads until the peer leaves: the connection lives as long as the client.
    private static Task<TcpServerHost> StartAsync(ServerLimits limits) =>
        TestHost.StartAsync(async connection =>
        {
            await connection.Transport.Output.WriteAsync("hello\n"u8.ToArray());
            try
            {
                while (true)
                {
                    System.IO.Pipelines.ReadResult read = await connection.Transport.Input.ReadAsync();
                    connection.Transport.Input.AdvanceTo(read.Buffer.End);
                    if (read.IsCompleted)
                    {
                        break;
                    }
                }
            }
            catch (IOException)
            {
                // A reset fails the read with IOException (IServerConnection's one shape for it).
            }
        }, limits);

    /// <summary>The host counts a closed connection when its handler returns: nothing announces it, so wait for the count.</summary>
    private static Task WaitForCountAsync(TcpServerHost host, int count) =>
        Eventually.TrueAsync(() => host.ConnectionCount == count, () => $"{host.ConnectionCount} connections, not {count}");
}
