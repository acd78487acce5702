namespace Marcel.Core.Transport;

/// <summary>Limits of a datagram socket, client or server.</summary>
public sealed record DatagramOptions
{
    /// <summary>
    /// The largest datagram payload sent or accepted, in bytes. Default 1,200: a datagram must fit the path MTU or IP
    /// fragments it, and a lost fragment loses the whole datagram (RFC 8085 §3.2: do not exceed it); 1,200 bytes is what
    /// QUIC assumes every path carries (RFC 9000 §14). A longer message is refused, never cut.
    /// </summary>
    public int MaxDatagramBytes { get; init; } = 1200;

    /// <summary>
    /// Hard cap on <see cref="MaxDatagramBytes"/>: 65,507 bytes, the largest UDP payload IPv4 can carry
    /// (65,535 minus the 20-byte IP header and the 8-byte UDP header).
    /// </summary>
    public const int MaxDatagramBytesCap = 65_507;

    /// <summary>The smallest <see cref="MaxDatagramBytes"/> allowed: every server notice and the default greeting fit in it.</summary>
    public const int MinDatagramBytes = 256;

    /// <summary>
    /// The kernel's receive buffer for the socket (SO_RCVBUF), in bytes. Default 256 KiB. Datagrams that arrive while
    /// it is full are dropped by the kernel: a flood costs this much memory, never more.
    /// </summary>
    public int ReceiveBufferBytes { get; init; } = 256 * 1024;

    /// <summary>Throws when an option is out of its documented range.</summary>
    public DatagramOptions Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDatagramBytes, MinDatagramBytes, nameof(MaxDatagramBytes));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxDatagramBytes, MaxDatagramBytesCap, nameof(MaxDatagramBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(ReceiveBufferBytes, 4096, nameof(ReceiveBufferBytes));
        return this;
    }
}
