using System.Net;
using System.Net.Sockets;

namespace Marcel.Tests.Support;

/// <summary>Loopback addresses and ports for tests: never a fixed port, never another address.</summary>
internal static class Loopback
{
    /// <summary>
    /// A port that was free a moment ago, for peers that cannot be told to pick one (the chapter's scripts).
    /// Prefer port 0 wherever the program under test reports the port it got.
    /// </summary>
    public static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    /// <summary>A port nobody listens on: bound (so no one else takes it) but never listening.</summary>
    public static Socket ClosedPort(out int port)
    {
        var holder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        port = ((IPEndPoint)holder.LocalEndPoint!).Port;
        return holder;
    }

    /// <summary>A started listener on 127.0.0.1 and a free port, for tests that play the server by hand.</summary>
    public static TcpListener Listen(out int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        port = ((IPEndPoint)listener.LocalEndpoint).Port;
        return listener;
    }

    /// <summary>
    /// A port left in TIME_WAIT by a connection that just ended, on the side that closed first: the server's side (its
    /// listening port, what a restarted server meets) or the client's (an ephemeral port, which Linux then lets no server
    /// bind, SO_REUSEADDR or not). The TIME_WAIT lasts a minute; the port is not listened on.
    /// </summary>
    public static async Task<int> PortInTimeWaitAsync(bool serverClosesFirst)
    {
        CancellationToken cancel = Timeouts.StepToken();
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync((IPEndPoint)listener.LocalEndPoint!, cancel);
        using Socket accepted = await listener.AcceptAsync(cancel);
        (Socket first, Socket second) = serverClosesFirst ? (accepted, client) : (client, accepted);
        int port = ((IPEndPoint)first.LocalEndPoint!).Port;
        first.Shutdown(SocketShutdown.Both);
        first.Close();
        Assert.Equal(0, await second.ReceiveAsync(new byte[1], SocketFlags.None, cancel)); // The FIN has arrived.
        second.Close();
        Assert.Contains(System.Net.NetworkInformation.IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpConnections(),
            c => c.LocalEndPoint.Port == port && c.State == System.Net.NetworkInformation.TcpState.TimeWait);
        return port;
    }
}
