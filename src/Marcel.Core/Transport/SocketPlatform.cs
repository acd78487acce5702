using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;

namespace Marcel.Core.Transport;

/// <summary>A raw <c>setsockopt</c> call: level, option name and value, as one system spells them.</summary>
/// <param name="Level">The protocol level (<c>IPPROTO_TCP</c> is 6 on every system here).</param>
/// <param name="Name">The option's number on that system.</param>
/// <param name="Value">The option's value, a C <c>int</c> (a <c>DWORD</c> on Windows).</param>
public readonly record struct RawSocketOption(int Level, int Name, int Value);

/// <summary>
/// The socket options whose names and meanings differ between systems, chosen per OS. Each system's own spelling is
/// here and nowhere else; the rest of the library calls these methods.
/// </summary>
public static class SocketPlatform
{
    private const int IpProtoTcp = 6;

    /// <summary>
    /// The option that drops a connection whose sent data stays unacknowledged for <paramref name="bound"/>, so a
    /// vanished peer is found even while we keep writing to it (keepalive probes wait while data is in flight):
    /// Linux's <c>TCP_USER_TIMEOUT</c> (18, milliseconds), macOS's <c>TCP_RXT_CONNDROPTIME</c> (0x80, seconds),
    /// Windows' <c>TCP_MAXRT</c> (5, seconds). Null where the system has none (FreeBSD and others: documented absence).
    /// </summary>
    public static RawSocketOption? UnacknowledgedDataTimeout(OsKind os, TimeSpan bound)
    {
        int seconds = (int)Math.Ceiling(bound.TotalSeconds);
        return os switch
        {
            OsKind.Linux => new RawSocketOption(IpProtoTcp, 18, (int)bound.TotalMilliseconds), // linux/tcp.h
            OsKind.MacOS => new RawSocketOption(IpProtoTcp, 0x80, seconds), // netinet/tcp.h
            OsKind.Windows => new RawSocketOption(IpProtoTcp, 5, seconds), // ws2ipdef.h
            _ => null,
        };
    }

    /// <summary>Sets <paramref name="option"/> on <paramref name="socket"/>.</summary>
    public static void Set(Socket socket, RawSocketOption option)
    {
        ArgumentNullException.ThrowIfNull(socket);
        socket.SetRawSocketOption(option.Level, option.Name, BitConverter.GetBytes(option.Value));
    }

    /// <summary>
    /// A listening socket bound to <paramref name="endpoint"/>, with the address-reuse rule that each system needs so
    /// that a restarted server binds at once and no other process can take its port: on Unix the runtime already sets
    /// <c>SO_REUSEADDR</c> (a port held only by old connections in TIME_WAIT binds again); on Windows that option would
    /// let another process bind the same port and steal its clients, so <c>SO_EXCLUSIVEADDRUSE</c> is set instead
    /// (Windows lets a port in TIME_WAIT bind again by default). <c>*</c> (IPv6 any) takes IPv4 clients too.
    /// </summary>
    public static Socket CreateBoundListener(IPEndPoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endpoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            if (OperatingSystem.IsWindows())
            {
                ExclusiveAddressUse(socket);
            }

            socket.Bind(endpoint);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    [SupportedOSPlatform("windows")]
    private static void ExclusiveAddressUse(Socket socket) => socket.ExclusiveAddressUse = true;
}
