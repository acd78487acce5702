using System.Net;
using Marcel.Core.Transport;
using Microsoft.Extensions.Logging;

namespace Marcel.Core.Dialogue;

/// <summary>
/// The chapter's dialogue server: one conversation at a time between the operator and a client. Clients who arrive
/// meanwhile wait in order of arrival, told their number in line, and are served next (see <see cref="OnConnectedAsync"/>).
/// </summary>
public sealed class DialogueServer
{
    private readonly DialogueOptions _options;
    private readonly IDialogueOperator _operator;
    private readonly Conversation _conversation;
    private readonly WaitingRoom _waiting;

    /// <summary>Creates a server that talks through <paramref name="console"/>.</summary>
    public DialogueServer(DialogueOptions options, IDialogueOperator console, ILogger logger, TimeProvider? time = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _operator = console ?? throw new ArgumentNullException(nameof(console));
        ArgumentNullException.ThrowIfNull(logger);
        _waiting = new WaitingRoom(options, console, logger, time ?? TimeProvider.System);
        _conversation = new Conversation(options, console, logger);
    }

    /// <summary>Clients waiting their turn now (for tests).</summary>
    internal int WaitingCount => _waiting.Count;

    /// <summary>Bytes read from the clients waiting their turn and held for their conversations (for tests).</summary>
    internal long WaitingBufferedBytes => _waiting.BufferedBytes;

    /// <summary>
    /// The host's entry point for each accepted connection: takes its place in line (told its number when it must
    /// wait), waits for its turn, then for the conversation to end.
    /// </summary>
    public Task OnConnectedAsync(IServerConnection connection) => _waiting.ServeAsync(connection);

    /// <summary>
    /// Serves the TCP clients of <see cref="OnConnectedAsync"/> one after another until the operator chooses to terminate
    /// or <paramref name="stopping"/> fires; then disconnects whoever still waits.
    /// </summary>
    public Task RunAsync(IReadOnlyList<IPEndPoint> boundEndPoints, CancellationToken stopping) => RunAsync(boundEndPoints, _waiting, stopping);

    /// <summary>Serves the clients of <paramref name="clients"/> one after another, as <see cref="RunAsync(IReadOnlyList{IPEndPoint}, CancellationToken)"/>.</summary>
    public async Task RunAsync(IReadOnlyList<IPEndPoint> boundEndPoints, IConversationSource clients, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(clients);
        _operator.Listening(boundEndPoints);
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                _operator.Ready();
                IConversationPeer client = await WhileNobodyListensAsync(clients.NextAsync(stopping).AsTask(), stopping);
                ConversationEnd end;
                try
                {
                    end = await _conversation.RunSafelyAsync(client, stopping);
                }
                finally
                {
                    clients.Finished(client);
                }

                if (end == ConversationEnd.Shutdown || stopping.IsCancellationRequested)
                {
                    break;
                }

                if (!_options.KeepOpen && !await _operator.AskRestartAsync(stopping))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Ctrl-C while nobody was connected, or during the restart question.
        }
        finally
        {
            int dropped = clients.DropWaiting();
            if (dropped > 0)
            {
                _operator.WaitingClientsDropped(dropped);
            }
        }
    }

    /// <summary>
    /// Waits for the next client; what the operator types meanwhile reaches nobody, and they are told so, rather than
    /// the line being kept for whoever connects next.
    /// </summary>
    private async Task<IConversationPeer> WhileNobodyListensAsync(Task<IConversationPeer> next, CancellationToken stopping)
    {
        bool operatorOpen = true;
        while (operatorOpen && !next.IsCompleted)
        {
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            Task<string?> typed = _operator.ReadLineAsync(idle.Token).AsTask();
            if (await Task.WhenAny(next, typed) == next)
            {
                await idle.CancelAsync();
            }

            try
            {
                string? line = await typed;
                operatorOpen = line is not null;
                if (!string.IsNullOrEmpty(line))
                {
                    _operator.NobodyListening();
                }
            }
            catch (OperationCanceledException) when (idle.IsCancellationRequested)
            {
                // A client came (or the server stops): what is typed from now on is for the conversation.
            }
        }

        return await next;
    }
}
