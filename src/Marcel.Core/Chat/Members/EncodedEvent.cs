namespace Marcel.Core.Chat.Members;

/// <summary>
/// An event in one wire format, shared by every receiver of that format: never written to, only read.
/// </summary>
/// <param name="Bytes">The bytes to send (for a stream format, one write may carry several messages).</param>
/// <param name="MessageEnds">
/// For message formats (a WebSocket frame, a datagram per line): where each message ends in <paramref name="Bytes"/>,
/// as offsets past its last byte. Empty for a byte stream.
/// </param>
public sealed record EncodedEvent(ReadOnlyMemory<byte> Bytes, ReadOnlyMemory<int> MessageEnds)
{
    /// <summary>Nothing to send (an event this format does not show).</summary>
    public static EncodedEvent Empty { get; } = new(ReadOnlyMemory<byte>.Empty, ReadOnlyMemory<int>.Empty);
}
