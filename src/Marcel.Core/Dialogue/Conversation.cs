using System.Globalization;
using Marcel.Core.Framing;
using Marcel.Core.Resources;
using Microsoft.Extensions.Logging;

namespace Marcel.Core.Dialogue;

/// <summary>
/// One conversation between the operator and a client, whatever carries it (<see cref="IConversationPeer"/>): the
/// greeting, the client's messages shown as they come, the operator's replies sent as they are typed, and the goodbye.
/// </summary>
internal sealed class Conversation(DialogueOptions options, IDialogueOperator console, ILogger logger)
{
    /// <summary>Holds the conversation until either side ends it; a failure ends this conversation only.</summary>
    public async Task<ConversationEnd> RunSafelyAsync(IConversationPeer peer, CancellationToken stopping)
    {
        try
        {
            return await RunAsync(peer, stopping);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // One broken conversation must not bring the server down for the clients still waiting.
            Transport.TransportLog.ConversationFailed(logger, peer.Id, e);
            peer.Abort();
            return ConversationEnd.ClientHungUp;
        }
    }

    private async Task<ConversationEnd> RunAsync(IConversationPeer peer, CancellationToken stopping)
    {
        console.ClientConnected(peer.RemoteEndPoint);
        await peer.SendAsync(options.Greeting ?? Format(Strings.Greeting, options.Name), stopping);

        using var conversation = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        Task<ConversationEnd> listening = ListenToClientAsync(peer, conversation.Token);
        Task<ConversationEnd> replying = RelayOperatorAsync(peer, conversation.Token);
        ConversationEnd end;
        try
        {
            end = await await Task.WhenAny(listening, replying);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            end = ConversationEnd.Shutdown;
        }

        await conversation.CancelAsync();
        await Task.WhenAll(listening, replying).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        bool tooLong = end == ConversationEnd.ClientTooLong;
        await peer.CloseAsync(tooLong ? Format(Strings.LineTooLongNotice, options.Lines.MaxLineBytes) : Strings.Goodbye, drainInput: tooLong);
        DialogueLog.ConversationEnded(logger, peer.Id, end);
        console.ConversationEnded(peer.RemoteEndPoint, end);
        return end;
    }

    private async Task<ConversationEnd> ListenToClientAsync(IConversationPeer peer, CancellationToken cancellationToken)
    {
        while (true)
        {
            LineReadResult read = await peer.ReadAsync(cancellationToken);
            switch (read.Kind)
            {
                case LineReadKind.EndOfStream:
                    return peer.EndOfStreamReason;
                case LineReadKind.TooLong:
                    DialogueLog.LineTooLong(logger, peer.RemoteEndPoint, options.Lines.MaxLineBytes);
                    return ConversationEnd.ClientTooLong;
            }

            DialogueLog.MessageReceived(logger, peer.RemoteEndPoint, read.Text);
            console.ClientMessage(read.Text);
            if (Farewell.IsFarewell(read.Text))
            {
                return ConversationEnd.ClientFarewell;
            }
        }
    }

    private async Task<ConversationEnd> RelayOperatorAsync(IConversationPeer peer, CancellationToken cancellationToken)
    {
        while (await console.ReadLineAsync(cancellationToken) is { } reply)
        {
            if (Farewell.IsFarewell(reply) && reply.Length > 0)
            {
                return ConversationEnd.Operator;
            }

            if (peer.MaxMessageBytes is int max && DatagramLines.ByteCount(reply, options.Lines.Ending) > max)
            {
                console.ReplyTooLong(max); // Refused whole: a cut reply would say something the operator did not.
                continue;
            }

            // An empty reply would read as "goodbye" to a line client: there is nothing to send.
            if (reply.Length > 0)
            {
                await peer.SendAsync(reply, cancellationToken);
            }
        }

        // The operator's input is closed: the client may still talk and end the conversation.
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return ConversationEnd.Shutdown;
    }

    private static string Format(string format, object? argument) => string.Format(CultureInfo.CurrentCulture, format, argument);
}
