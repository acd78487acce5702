using System.Net;

namespace Marcel.Core.Dialogue;

/// <summary>
/// The person at the server's console, as the dialogue server sees them: what it tells them, and what they type.
/// The CLI implements it over the terminal; tests implement it over queues.
/// </summary>
public interface IDialogueOperator
{
    /// <summary>The server listens on <paramref name="endpoints"/>.</summary>
    void Listening(IReadOnlyList<IPEndPoint> endpoints);

    /// <summary>The server waits for the next client.</summary>
    void Ready();

    /// <summary>A client arrived while another conversation goes on; it waits at <paramref name="position"/> (1 = next).</summary>
    void ClientWaiting(EndPoint? remote, int position);

    /// <summary>A conversation starts with <paramref name="remote"/>.</summary>
    void ClientConnected(EndPoint? remote);

    /// <summary>The client said <paramref name="message"/>.</summary>
    void ClientMessage(string message);

    /// <summary>The conversation with <paramref name="remote"/> ended for <paramref name="reason"/>.</summary>
    void ConversationEnded(EndPoint? remote, ConversationEnd reason);

    /// <summary>A reply was not sent: it does not fit in one datagram of <paramref name="maxBytes"/> bytes, and a cut reply would say something else.</summary>
    void ReplyTooLong(int maxBytes)
    {
    }

    /// <summary>A datagram from <paramref name="remote"/> came while another conversation goes on; it was answered "busy, try later".</summary>
    void ClientTurnedAway(EndPoint? remote)
    {
    }

    /// <summary>The operator typed a line while no client was connected: it was not sent, and will not be.</summary>
    void NobodyListening();

    /// <summary>Clients still waiting were disconnected because the server stops.</summary>
    void WaitingClientsDropped(int count);

    /// <summary>The operator's next line; <c>null</c> once their input is closed. Cancelling loses no typed line.</summary>
    ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken);

    /// <summary>Asks the chapter's "restart or terminate?" question; true to restart.</summary>
    ValueTask<bool> AskRestartAsync(CancellationToken cancellationToken);
}
