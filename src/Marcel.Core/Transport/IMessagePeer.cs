using System.Net;
using Marcel.Core.Framing;

namespace Marcel.Core.Transport;

/// <summary>
/// The other end of a conversation, seen as messages whatever carries them: a TCP connection's lines
/// (<see cref="LineConnection"/>) or a datagram peer, where each datagram holds whole lines.
/// </summary>
public interface IMessagePeer
{
    /// <summary>The peer's address and port, when known.</summary>
    EndPoint? RemoteEndPoint { get; }

    /// <summary>Waits for the peer's next message; <see cref="LineReadKind.EndOfStream"/> once nothing more will come. One reader at a time.</summary>
    ValueTask<LineReadResult> ReadAsync(CancellationToken cancellationToken = default);

    /// <summary>Sends one message; safe from several tasks. False when the peer is gone (nothing throws).</summary>
    ValueTask<bool> SendAsync(string text, CancellationToken cancellationToken = default);
}
