using System.Net;
using System.Net.Sockets;
using Marcel.Core;
using Marcel.Core.Transport;
using Marcel.Tests.Support;

namespace Marcel.Tests.Platform;

/// <summary>The per-OS socket options: each system's own spelling, and what really reaches a socket here (Linux).</summary>
public class SocketPlatformTests
{
    [Fact]
    public void Unacknowledged_data_is_bounded_by_each_systems_own_option_and_unit()
    {
        TimeSpan bound = TimeSpan.FromSeconds(90);
        Assert.Equal(new RawSocketOption(6, 18, 90_000), SocketPlatform.UnacknowledgedDataTimeout(OsKind.Linux, bound)); // TCP_USER_TIMEOUT, ms
        Assert.Equal(new RawSocketOption(6, 0x80, 90), SocketPlatform.UnacknowledgedDataTimeout(OsKind.MacOS, bound)); // TCP_RXT_CONNDROPTIME, s
        Assert.Equal(new RawSocketOption(6, 5, 90), SocketPlatform.UnacknowledgedDataTimeout(OsKind.Windows, bound)); // TCP_MAXRT, s
        Assert.Null(SocketPlatform.UnacknowledgedDataTimeout(OsKind.OtherUnix, bound));
    }

    [Fact]
    public void A_bound_in_seconds_is_rounded_up_never_down_to_zero()
    {
        Assert.Equal(2, SocketPlatform.UnacknowledgedDataTimeout(OsKind.Windows, TimeSpan.FromMilliseconds(1500))!.Value.Value);
    }

    [Fact]
    public void A_listener_owns_its_port_a_second_one_is_refused()
    {
        using Socket first = SocketPlatform.CreateBoundListener(new IPEndPoint(IPAddress.Loopback, 0));
        first.Listen();
        var taken = (IPEndPoint)first.LocalEndPoint!;
        SocketException refused = Assert.Throws<SocketException>(() => SocketPlatform.CreateBoundListener(taken));
        Assert.Equal(SocketError.AddressAlreadyInUse, refused.SocketErrorCode);
    }

    [Fact]
    public async Task A_listener_on_IPv6_any_takes_IPv4_clients_too()
    {
        Assert.SkipUnless(Socket.OSSupportsIPv6, "No IPv6 on this machine.");
        using Socket listener = SocketPlatform.CreateBoundListener(new IPEndPoint(IPAddress.IPv6Any, 0));
        listener.Listen();
        Assert.True(listener.DualMode);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndPoint!).Port), Timeouts.StepToken());
        using Socket accepted = await listener.AcceptAsync(Timeouts.StepToken());
        Assert.True(accepted.Connected);
    }

    [Fact]
    public async Task Disabling_connection_resets_leaves_a_datagram_socket_working_where_it_does_nothing()
    {
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        DatagramSocketOptions.DisableConnectionReset(receiver);
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        await sender.SendToAsync("é€🙂"u8.ToArray(), receiver.LocalEndPoint!, Timeouts.StepToken());
        byte[] buffer = new byte[64];
        int read = await receiver.ReceiveAsync(buffer, Timeouts.StepToken());
        Assert.Equal("é€🙂"u8.ToArray(), buffer[..read]);
    }
}
