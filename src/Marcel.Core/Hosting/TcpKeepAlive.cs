using System.Net.Sockets;
using Marcel.Core.Transport;

namespace Marcel.Core.Hosting;

/// <summary>
/// TCP keepalive for accepted connections: finds a peer that vanished without FIN or RST (cable pulled, machine gone),
/// which would otherwise hold its connection (and, in a dialogue, everyone waiting behind it) forever.
/// After <see cref="Idle"/> without traffic the system sends a probe every <see cref="Interval"/>; after
/// <see cref="ProbeCount"/> unanswered probes it drops the connection, which the server then sees as a hang-up.
/// Data sent and left unacknowledged for <see cref="DetectionBound"/> also drops it: <c>TCP_USER_TIMEOUT</c> on Linux,
/// <c>TCP_RXT_CONNDROPTIME</c> on macOS, <c>TCP_MAXRT</c> on Windows (see <see cref="SocketPlatform"/>).
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
    /// Turns keepalive on for <paramref name="socket"/> with these timings, and bounds unacknowledged data by
    /// <see cref="DetectionBound"/> with the system's own option (<see cref="SocketPlatform.UnacknowledgedDataTimeout"/>).
    /// An option this system version lacks (Windows before 10 1709 has no keepalive timings per socket) is left at the
    /// system's default; keepalive itself is on everywhere. Per accepted socket rather than on the listening socket:
    /// inheritance of keepalive settings from a listener is a Linux habit, not a promise.
    /// </summary>
    public void Apply(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        IfSupported(() => socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, (int)Idle.TotalSeconds));
        IfSupported(() => socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, (int)Interval.TotalSeconds));
        IfSupported(() => socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, ProbeCount));
        // Probes wait while sent data is unacknowledged, and retransmissions to a dead peer last ~15 min: a room that
        // keeps talking to a vanished member would hide it. Each system's own option bounds unacknowledged data too.
        if (SocketPlatform.UnacknowledgedDataTimeout(ThisSystem.Kind, DetectionBound) is { } timeout)
        {
            IfSupported(() => SocketPlatform.Set(socket, timeout));
        }
    }

    private static void IfSupported(Action set)
    {
        try
        {
            set();
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ProtocolOption or SocketError.OperationNotSupported or SocketError.ProtocolNotSupported)
        {
            // An older system without this option: its default stays.
        }
    }
}
