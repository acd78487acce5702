using System.Globalization;
using System.Net;
using Marcel.Core.Framing;
using Marcel.Core.Resources;
using Marcel.Core.Transport;
using Microsoft.Extensions.Logging;

namespace Marcel.Core.Dialogue;

/// <summary>
/// The chapter's dialogue server: one conversation at a time between the operator and a client. Clients who arrive
/// meanwhile wait in order of arrival, told their number in line, and are served next (see <see cref="OnConnectedAsync"/>).
/// </summary>
public sealed partial class DialogueServer : IConversationSource
{
    // How long a notice to a client outside its conversation may take to leave.
    private static readonly TimeSpan NoticeTimeout = TimeSpan.FromSeconds(1);

    private readonly DialogueOptions _options;
    private readonly IDialogueOperator _operator;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Conversation _conversation;
    private readonly WaitingLine<WaitingClient> _line;
    private readonly HashSet<WaitingClient> _waitingClients = [];
    private readonly Dictionary<LinePeer, WaitingClient> _serving = [];

    /// <summary>Creates a server that talks through <paramref name="console"/>.</summary>
    public DialogueServer(DialogueOptions options, IDialogueOperator console, ILogger logger, TimeProvider? time = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _operator = console ?? throw new ArgumentNullException(nameof(console));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _time = time ?? TimeProvider.System;
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxWaiting, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxWaiting, DialogueOptions.MaxWaitingCap, nameof(options));
        _line = new WaitingLine<WaitingClient>(options.MaxWaiting);
        _conversation = new Conversation(options, console, logger);
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

    /// <summary>The first TCP client in line, its waiting read stopped and told its turn came when it was told to wait.</summary>
    async ValueTask<IConversationPeer> IConversationSource.NextAsync(CancellationToken stopping)
    {
        WaitingClient client = await _line.TakeAsync(stopping);
        IServerConnection connection = client.Connection;
        // What the client sent while it waited stays in the pipe, for the conversation to read first.
        await client.StopWatchingAsync();
        // With --keep-open the next is taken at once: whoever arrives once this one is closed is not told to wait.
        var peer = new LinePeer(connection, _options.Lines, _logger, _time, _options.KeepOpen ? _line.Free : null);
        lock (_serving)
        {
            _serving.Add(peer, client);
        }

        if (client.WasTold)
        {
            try
            {
                await peer.SendAsync(Strings.YourTurn, stopping);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Gone meanwhile: the conversation's first read or write will tell.
                Transport.TransportLog.ConversationFailed(_logger, connection.ConnectionId, e);
            }
        }

        return peer;
    }

    void IConversationSource.Finished(IConversationPeer peer)
    {
        WaitingClient client;
        lock (_serving)
        {
            _serving.Remove((LinePeer)peer, out client!);
        }

        client.Finish();
    }

    int IConversationSource.DropWaiting()
    {
        List<WaitingClient> dropped = _line.Close();
        foreach (WaitingClient client in dropped)
        {
            client.Finish();
        }

        return dropped.Count;
    }

    private static string Format(string format, object? argument) => string.Format(CultureInfo.CurrentCulture, format, argument);
}
