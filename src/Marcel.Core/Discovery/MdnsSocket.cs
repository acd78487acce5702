using System.Net;
using System.Net.Sockets;

namespace Marcel.Core.Discovery;

/// <summary>
/// The UDP socket of mDNS (RFC 6762): port 5353 shared with any other responder on the machine (SO_REUSEADDR and
/// SO_REUSEPORT, §15.1), the group 224.0.0.251 joined on each chosen interface, IP TTL 255 (§11), and sends aimed at
/// one interface at a time. Loops back its own multicast so browsers on this machine see it (§15.1). IPv4 only.
/// </summary>
public sealed class MdnsSocket : IDisposable
{
    /// <summary>The mDNS port.</summary>
    public const int Port = 5353;

    /// <summary>The IPv4 mDNS group.</summary>
    public static readonly IPAddress Group = IPAddress.Parse("224.0.0.251");

    private readonly Socket _socket;
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly byte[] _buffer = new byte[DnsCodec.MaxMessageBytes];

    private MdnsSocket(Socket socket, IReadOnlyList<MdnsInterface> interfaces, bool shared)
    {
        _socket = socket;
        Interfaces = interfaces;
        OnSharedPort = shared;
    }

    /// <summary>The interfaces joined.</summary>
    public IReadOnlyList<MdnsInterface> Interfaces { get; }

    /// <summary>True when bound to 5353; false when that failed and an ephemeral port stands in (legacy unicast queries, §6.7).</summary>
    public bool OnSharedPort { get; }

    /// <summary>
    /// Opens the socket on <paramref name="interfaces"/>. With <paramref name="fallBackToEphemeral"/>, a port 5353 that
    /// cannot be shared gives an ephemeral port instead (enough to query; answers then come by unicast).
    /// </summary>
    public static MdnsSocket Open(IReadOnlyList<MdnsInterface> interfaces, bool fallBackToEphemeral)
    {
        ArgumentNullException.ThrowIfNull(interfaces);
        Socket socket = Create();
        bool shared = true;
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Any, Port));
        }
        catch (SocketException) when (fallBackToEphemeral)
        {
            socket.Dispose();
            socket = Create();
            socket.Bind(new IPEndPoint(IPAddress.Any, 0));
            shared = false;
        }

        foreach (int index in interfaces.Select(i => i.Index).Distinct())
        {
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(Group, index));
        }

        return new MdnsSocket(socket, interfaces, shared);
    }

    /// <summary>Sends <paramref name="message"/> to the group on <paramref name="via"/>, or to <paramref name="unicast"/> when given.</summary>
    public async Task SendAsync(byte[] message, MdnsInterface via, IPEndPoint? unicast, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(via);
        await _sending.WaitAsync(cancellationToken);
        try
        {
            _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, IPAddress.HostToNetworkOrder(via.Index));
            await _socket.SendToAsync(message, SocketFlags.None, unicast ?? new IPEndPoint(Group, Port), cancellationToken);
        }
        catch (SocketException)
        {
            // An interface that went down or lost its address: mDNS is best effort, the next send may work.
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>
    /// The next datagram that came in on one of <see cref="Interfaces"/> from an address of that link (RFC 6762 §11),
    /// with its sender and interface; anything else is dropped here.
    /// </summary>
    public async Task<(ReadOnlyMemory<byte> Bytes, IPEndPoint From, MdnsInterface Via)> ReceiveAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            SocketReceiveMessageFromResult result;
            try
            {
                result = await _socket.ReceiveMessageFromAsync(_buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cancellationToken);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.MessageSize or SocketError.ConnectionReset)
            {
                continue; // Over 9,000 bytes (not mDNS), or an ICMP error from an earlier unicast send.
            }

            var from = (IPEndPoint)result.RemoteEndPoint;
            int index = result.PacketInformation.Interface;
            MdnsInterface? via = Interfaces.FirstOrDefault(i => i.Index == index && i.Network.Contains(from.Address))
                ?? Interfaces.FirstOrDefault(i => i.Index == index && i.Address.Equals(from.Address));
            if (via is not null && (result.SocketFlags & SocketFlags.Truncated) == 0)
            {
                return (_buffer.AsMemory(0, result.ReceivedBytes), from, via);
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _socket.Dispose();
        _sending.Dispose();
    }

    private static Socket Create()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            if (OperatingSystem.IsLinux())
            {
                socket.SetRawSocketOption(1, 15, BitConverter.GetBytes(1)); // SOL_SOCKET, SO_REUSEPORT
                socket.SetRawSocketOption(0, 49, BitConverter.GetBytes(0)); // IPPROTO_IP, IP_MULTICAST_ALL off: only the groups joined here.
            }
            else if (OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD())
            {
                socket.SetRawSocketOption(0xFFFF, 0x0200, BitConverter.GetBytes(1)); // SOL_SOCKET, SO_REUSEPORT
            }

            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, 255);
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.IpTimeToLive, 255);
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, true);
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.PacketInformation, true);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
