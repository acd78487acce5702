namespace Marcel.Core.Dialogue;

/// <summary>
/// Where the dialogue server's next client comes from: TCP clients waiting in line, or the first datagram peer to speak.
/// </summary>
public interface IConversationSource
{
    /// <summary>Waits for the next client to talk with.</summary>
    ValueTask<IConversationPeer> NextAsync(CancellationToken cancellationToken);

    /// <summary>The conversation with <paramref name="peer"/> is over: its turn ends.</summary>
    void Finished(IConversationPeer peer);

    /// <summary>The server stops: lets go of every client still waiting; returns how many there were.</summary>
    int DropWaiting();
}
