using System.Globalization;
using System.Net;
using System.Threading.Channels;
using Marcel.Core.Framing;
using Marcel.Core.Resources;
using Marcel.Core.Transport;
using Microsoft.Extensions.Logging;

namespace Marcel.Core.Dialogue;

/// <summary>
/// The chapter's dialogue server: one conversation at a time between the operator and a client. Clients who arrive
/// meanwhile wait in order of arrival — the host accepts them, so none is refused or lost — and are served next.
/// </summary>
public sealed class DialogueServer : IConversationSource
{
    private readonly DialogueOptions _options;
    private readonly IDialogueOperator _operator;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Conversation _conversation;
    private readonly Channel<LinePeer> _waiting = Channel.CreateUnbounded<LinePeer>();
    private int _idle;

    /// <summary>Creates a server that talks through <paramref name="console"/>.</summary>
    public DialogueServer(DialogueOptions options, IDialogueOperator console, ILogger logger, TimeProvider? time = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _operator = console ?? throw new ArgumentNullException(nameof(console));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _time = time ?? TimeProvider.System;
        _conversation = new Conversation(options, console, logger);
    }

    /// <summary>The host's entry point for each accepted connection: waits for its turn, then for the conversation to end.</summary>
    public async Task OnConnectedAsync(IServerConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var client = new LinePeer(connection, _options.Lines, _logger, _time);
        Log.ConnectionAccepted(_logger, connection.ConnectionId, connection.RemoteEndPoint);
        if (!_waiting.Writer.TryWrite(client))
        {
            return; // The server is stopping: the host closes the connection.
        }

        if (Volatile.Read(ref _idle) == 0)
        {
            _operator.ClientWaiting(connection.RemoteEndPoint, _waiting.Reader.Count);
        }

        await client.Finished;
    }

    /// <summary>
    /// Serves the TCP clients of <see cref="OnConnectedAsync"/> one after another until the operator chooses to terminate
    /// or <paramref name="stopping"/> fires; then disconnects whoever still waits.
    /// </summary>
    public Task RunAsync(IReadOnlyList<IPEndPoint> boundEndPoints, CancellationToken stopping) => RunAsync(boundEndPoints, this, stopping);

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
                IConversationPeer client = await clients.NextAsync(stopping);
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

    async ValueTask<IConversationPeer> IConversationSource.NextAsync(CancellationToken stopping)
    {
        Volatile.Write(ref _idle, 1);
        try
        {
            return await _waiting.Reader.ReadAsync(stopping);
        }
        finally
        {
            Volatile.Write(ref _idle, 0);
        }
    }

    void IConversationSource.Finished(IConversationPeer peer) => ((LinePeer)peer).Finish();

    int IConversationSource.DropWaiting()
    {
        _waiting.Writer.TryComplete();
        int dropped = 0;
        while (_waiting.Reader.TryRead(out LinePeer? client))
        {
            client.Finish();
            dropped++;
        }

        return dropped;
    }
}
