using System.Net;

namespace Marcel.Core.Transport;

/// <summary>One datagram received.</summary>
/// <param name="Remote">Who sent it (an IPv4 sender on a dual-stack socket is shown as IPv4).</param>
/// <param name="Payload">Its bytes: valid until the next receive on the same socket.</param>
/// <param name="TooLong">True when it was longer than the maximum: <paramref name="Payload"/> is then empty, never a cut piece.</param>
/// <param name="ToGroup">True when it was sent to a broadcast or multicast address: such a datagram is never answered.</param>
public readonly record struct Datagram(IPEndPoint Remote, ReadOnlyMemory<byte> Payload, bool TooLong, bool ToGroup)
{
    /// <summary>
    /// True when the sender's address is one nobody can answer to: port 0, an unspecified, broadcast or multicast
    /// address. Such datagrams are forged or broken; answering them would reflect traffic at a whole network.
    /// </summary>
    public bool FromNowhere =>
        Remote.Port == 0
        || Remote.Address.Equals(IPAddress.Any) || Remote.Address.Equals(IPAddress.IPv6Any)
        || Remote.Address.Equals(IPAddress.Broadcast)
        || Remote.Address.IsIPv6Multicast
        || IsIPv4Multicast(Remote.Address);

    /// <summary>224.0.0.0/4; read in place, since every datagram asks.</summary>
    private static bool IsIPv4Multicast(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            && address.TryWriteBytes(bytes, out _) && (bytes[0] & 0xF0) == 0xE0;
    }
}
