using System.Net.Sockets;

namespace Marcel.Core.Transport;

/// <summary>Datagram socket settings that differ by operating system.</summary>
internal static class DatagramPlatform
{
    // SIO_UDP_CONNRESET (_WSAIOW(IOC_VENDOR, 12)): see IgnoreIcmpResets.
    private const int SioUdpConnReset = unchecked((int)0x9800000C);

    /// <summary>
    /// On Windows an ICMP "port unreachable" for a datagram we sent makes the socket's next receive fail with
    /// WSAECONNRESET, even on an unconnected server socket: one client that went away would break the receive loop for
    /// everyone. Turning SIO_UDP_CONNRESET off stops that. Linux and macOS report ICMP errors only on connected sockets.
    /// </summary>
    public static void IgnoreIcmpResets(Socket socket)
    {
        if (OperatingSystem.IsWindows())
        {
            socket.IOControl(SioUdpConnReset, [0, 0, 0, 0], null);
        }
    }
}
