using Marcel.Core.Transport;

namespace Marcel.Core.Dialogue;

/// <summary>
/// The client of one dialogue conversation, whatever carries it: a TCP connection waiting its turn, or a datagram peer.
/// The conversation itself (greeting, <c>C&gt;</c>/<c>S&gt;</c>, <c>FIN</c>, goodbye) is the same for every kind.
/// </summary>
public interface IConversationPeer : IMessagePeer
{
    /// <summary>A short name for logs (a connection id, or <c>udp:</c> and the address).</summary>
    string Id { get; }

    /// <summary>Why the conversation ends when a read returns the end of the stream: a hang-up, or silence past the idle timeout.</summary>
    ConversationEnd EndOfStreamReason { get; }

    /// <summary>The largest message, in bytes with its line ending, the peer can carry; null when only the line maximum applies.</summary>
    int? MaxMessageBytes { get; }

    /// <summary>
    /// Sends <paramref name="lastWords"/> and ends the conversation on our side. With <paramref name="drainInput"/>, first
    /// reads and drops what the peer still sends for a moment (a flood cut short), so the words are not lost to a reset.
    /// </summary>
    ValueTask CloseAsync(string lastWords, bool drainInput);

    /// <summary>Drops the peer at once, after a failure of ours.</summary>
    void Abort();
}
