using System.Net.Sockets;

namespace Marcel.Core.Hosting;

/// <summary>
/// TCP keepalive for accepted connections: finds a peer that vanished without FIN or RST (cable pulled, machine gone),
/// which would otherwise hold its connection (and, in a dialogue, everyone waiting behind it) forever.
/// After <see cref="Idle"/> without traffic the system sends a probe every <see cref="Interval"/>; after
/// <see cref="ProbeCount"/> unanswered probes it drops the connection, which the server then sees as a hang-up.
/// On Linux, data sent and left unacknowledged for <see cref="DetectionBound"/> also drops it (TCP_USER_TIMEOUT).
/// </summary>
public sealed record TcpKeepAlive
{
    /// <summary>Idle time before the first probe.</summary>
    public TimeSpan Idle { get; }

    /// <summary>Time between probes: the idle time, but at most 10 s, at least 1 s.</summary>
    public TimeSpan Interval { get; }

    /// <summary>Unanswered probes before the connection is dropped: 3.</summary>
    public int ProbeCount { get; } = 3;

    /// <summary>Longest time a dead, idle peer can hold its connection: idle + interval × probes (at most idle + 30 s).</summary>
    public TimeSpan DetectionBound => Idle + (Interval * ProbeCount);

    /// <summary>Largest idle time accepted (the system's own limit is 32,767 s).</summary>
    public static readonly TimeSpan MaxIdle = TimeSpan.FromSeconds(32_767);

    /// <summary>Keepalive probing after <paramref name="idle"/> (whole seconds, 1 s to <see cref="MaxIdle"/>).</summary>
    public TcpKeepAlive(TimeSpan idle)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(idle, TimeSpan.FromSeconds(1));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(idle, MaxIdle);
        Idle = TimeSpan.FromSeconds(Math.Floor(idle.TotalSeconds));
        Interval = TimeSpan.FromSeconds(Math.Clamp(Idle.TotalSeconds, 1, 10));
    }

    /// <summary>The default: first probe after 60 s, a dead peer found within 90 s.</summary>
    public static TcpKeepAlive Default { get; } = new(TimeSpan.FromSeconds(60));

    /// <summary>
    /// Turns keepalive on for <paramref name="socket"/> with these timings. Per accepted socket rather than on the
    /// listening socket: inheritance of keepalive settings from a listener is a Linux habit, not a promise.
    /// </summary>
    public void Apply(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, (int)Idle.TotalSeconds);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, (int)Interval.TotalSeconds);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, ProbeCount);
        if (OperatingSystem.IsLinux())
        {
            // Probes wait while sent data is unacknowledged, and retransmissions to a dead peer last ~15 min: a room that
            // keeps talking to a vanished member would hide it. TCP_USER_TIMEOUT bounds unacknowledged data by the same time.
            socket.SetRawSocketOption(IpProtoTcp, TcpUserTimeout, BitConverter.GetBytes((int)DetectionBound.TotalMilliseconds));
        }
    }

    private const int IpProtoTcp = 6;
    private const int TcpUserTimeout = 18; // linux/tcp.h
}
