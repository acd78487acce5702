using System.Net.Sockets;
using System.Runtime.Versioning;

namespace Marcel.Core.Transport;

/// <summary>Per-OS options of UDP sockets.</summary>
public static class DatagramSocketOptions
{
    // SIO_UDP_CONNRESET = _WSAIOW(IOC_VENDOR, 12), mstcpip.h.
    private const int SioUdpConnReset = unchecked((int)0x9800000C);

    /// <summary>
    /// On Windows, an ICMP "port unreachable" answering one datagram makes the socket's next receive fail with
    /// WSAECONNRESET (10054), which would end a server's receive loop because one client went away; this turns that
    /// report off (<c>SIO_UDP_CONNRESET</c> = false). Elsewhere it does nothing: Linux and macOS report ICMP errors only
    /// on connected UDP sockets, where the error is the one wanted. Call it once, before the first receive.
    /// </summary>
    public static void DisableConnectionReset(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (OperatingSystem.IsWindows())
        {
            DisableConnectionResetOnWindows(socket);
        }
    }

    [SupportedOSPlatform("windows")]
    private static void DisableConnectionResetOnWindows(Socket socket) =>
        socket.IOControl(SioUdpConnReset, [0, 0, 0, 0], null);
}
