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
}
