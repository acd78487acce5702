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
public sealed class DialogueServer
{
    private readonly DialogueOptions _options;
    private readonly IDialogueOperator _operator;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Channel<WaitingClient> _waiting = Channel.CreateUnbounded<WaitingClient>();
    private int _idle;

    /// <summary>Creates a server that talks through <paramref name="console"/>.</summary>
    public DialogueServer(DialogueOptions options, IDialogueOperator console, ILogger logger, TimeProvider? time = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _operator = console ?? throw new ArgumentNullException(nameof(console));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The host's entry point for each accepted connection: waits for its turn, then for the conversation to end.</summary>
    public async Task OnConnectedAsync(IServerConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var client = new WaitingClient(connection);
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
    /// Serves clients one after another until the operator chooses to terminate or <paramref name="stopping"/> fires;
    /// then disconnects whoever still waits.
    /// </summary>
    public async Task RunAsync(IReadOnlyList<IPEndPoint> boundEndPoints, CancellationToken stopping)
    {
        _operator.Listening(boundEndPoints);
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                _operator.Ready();
                WaitingClient client = await NextClientAsync(stopping);
                ConversationEnd end;
                try
                {
                    end = await ConverseSafelyAsync(client.Connection, stopping);
                }
                finally
                {
                    client.Finish();
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
            DropWaitingClients();
        }
    }

    private async Task<WaitingClient> NextClientAsync(CancellationToken stopping)
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

    private async Task<ConversationEnd> ConverseSafelyAsync(IServerConnection connection, CancellationToken stopping)
    {
        try
        {
            return await ConverseAsync(connection, stopping);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // One broken conversation must not bring the server down for the clients still waiting.
            Transport.TransportLog.ConversationFailed(_logger, connection.ConnectionId, e);
            connection.Abort();
            return ConversationEnd.ClientHungUp;
        }
    }

    private async Task<ConversationEnd> ConverseAsync(IServerConnection connection, CancellationToken stopping)
    {
        var line = new LineConnection(connection.Transport, _options.Lines, connection.RemoteEndPoint, _time);
        _operator.ClientConnected(connection.RemoteEndPoint);
        await line.SendAsync(_options.Greeting ?? Format(Strings.Greeting, _options.Name), stopping);

        using var conversation = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        Task<ConversationEnd> listening = ListenToClientAsync(line, connection.ConnectionId, conversation.Token);
        Task<ConversationEnd> replying = RelayOperatorAsync(line, conversation.Token);
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

        if (end == ConversationEnd.ClientTooLong)
        {
            await line.SendAsync(Format(Strings.LineTooLongNotice, _options.Lines.MaxLineBytes), CancellationToken.None);
            await line.DiscardInputAsync(TimeSpan.FromSeconds(1));
        }
        else
        {
            await line.SendAsync(Strings.Goodbye, CancellationToken.None);
        }

        await line.CompleteAsync();
        Log.ConversationEnded(_logger, connection.ConnectionId, end);
        _operator.ConversationEnded(connection.RemoteEndPoint, end);
        return end;
    }

    private async Task<ConversationEnd> ListenToClientAsync(LineConnection line, string connectionId, CancellationToken cancellationToken)
    {
        while (true)
        {
            LineReadResult read = await line.ReadAsync(cancellationToken);
            switch (read.Kind)
            {
                case LineReadKind.EndOfStream:
                    if (line.WasReset)
                    {
                        Transport.TransportLog.ConnectionReset(_logger, connectionId);
                    }

                    return ConversationEnd.ClientHungUp;
                case LineReadKind.TooLong:
                    Log.LineTooLong(_logger, line.RemoteEndPoint, _options.Lines.MaxLineBytes);
                    return ConversationEnd.ClientTooLong;
            }

            Log.MessageReceived(_logger, line.RemoteEndPoint, read.Text);
            _operator.ClientMessage(read.Text);
            if (Farewell.IsFarewell(read.Text))
            {
                return ConversationEnd.ClientFarewell;
            }
        }
    }

    private async Task<ConversationEnd> RelayOperatorAsync(LineConnection line, CancellationToken cancellationToken)
    {
        while (await _operator.ReadLineAsync(cancellationToken) is { } reply)
        {
            if (Farewell.IsFarewell(reply) && reply.Length > 0)
            {
                return ConversationEnd.Operator;
            }

            // An empty reply would read as "goodbye" to a line client: there is nothing to send.
            if (reply.Length > 0)
            {
                await line.SendAsync(reply, cancellationToken);
            }
        }

        // The operator's input is closed: the client may still talk and end the conversation.
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return ConversationEnd.Shutdown;
    }

    private void DropWaitingClients()
    {
        _waiting.Writer.TryComplete();
        int dropped = 0;
        while (_waiting.Reader.TryRead(out WaitingClient? client))
        {
            client.Finish();
            dropped++;
        }

        if (dropped > 0)
        {
            _operator.WaitingClientsDropped(dropped);
        }
    }

    private static string Format(string format, object? argument) => string.Format(CultureInfo.CurrentCulture, format, argument);

    private sealed class WaitingClient(IServerConnection connection)
    {
        private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IServerConnection Connection { get; } = connection;

        public Task Finished => _finished.Task;

        public void Finish() => _finished.TrySetResult();
    }
}
