using System.Net;
using System.Net.Sockets;

namespace Marcel.Tests.Support;

/// <summary>Loopback addresses and ports for tests: never a fixed port, never another address.</summary>
internal static class Loopback
{
    /// <summary>
    /// A port that was free a moment ago, for peers that cannot be told to pick one (the chapter's scripts, nc -l, redis).
    /// Prefer port 0 wherever the program under test reports the port it got.
    /// </summary>
    /// <remarks>
    /// Taken below the ephemeral range, never from it: a port 0 bind or an outgoing connection anywhere on the machine
    /// (another test, another test assembly running beside this one) is given ports from that range only, so it can
    /// never be handed this one in the moment between the probe and the peer's own bind. Picking it with a port 0
    /// probe did exactly that in CI: a UDP test sent to a port it believed unused, another test's server had just been
    /// given it, and that server's first datagram came from a stranger ("Busy").
    /// Both protocols are probed, so the port serves either; each is handed out once per process.
    /// </remarks>
    public static int FreePort()
    {
        (int low, int high) = Range;
        for (int attempt = 0; attempt < 1000; attempt++)
        {
            int port = low + Random.Shared.Next(high - low);
            if (!HandedOut.TryAdd(port, 0))
            {
                continue;
            }

            if (Bindable(port, SocketType.Stream, ProtocolType.Tcp) && Bindable(port, SocketType.Dgram, ProtocolType.Udp))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"No free port between {low} and {high} on 127.0.0.1.");
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, byte> HandedOut = new();

    /// <summary>
    /// Ports below the ephemeral range: Linux's starts at 32768 by default (its lower bound is read when it can be),
    /// Windows' and macOS's at 49152. 20000 keeps clear of the well-known services tests run (redis 6379, nginx).
    /// </summary>
    private static (int Low, int High) Range { get; } = ReadRange();

    private static (int Low, int High) ReadRange()
    {
        const int Low = 20000;
        int ephemeralLow = 32768;
        try
        {
            string[] bounds = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            ephemeralLow = int.Parse(bounds[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        if (ephemeralLow <= Low + 1000)
        {
            throw new InvalidOperationException($"The ephemeral port range starts at {ephemeralLow}: tests need ports below it, above {Low}.");
        }

        return (Low, ephemeralLow);
    }

    private static bool Bindable(int port, SocketType type, ProtocolType protocol)
    {
        using var probe = new Socket(AddressFamily.InterNetwork, type, protocol);
        try
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
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
