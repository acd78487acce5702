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
public sealed partial class DialogueServer
{
    // How long a notice to a client outside its conversation may take to leave.
    private static readonly TimeSpan NoticeTimeout = TimeSpan.FromSeconds(1);

    private readonly DialogueOptions _options;
    private readonly IDialogueOperator _operator;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly WaitingLine<WaitingClient> _line;
    private readonly HashSet<WaitingClient> _waitingClients = [];

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
                    end = await ConverseSafelyAsync(client, stopping);
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

    private async Task<ConversationEnd> ConverseSafelyAsync(WaitingClient client, CancellationToken stopping)
    {
        IServerConnection connection = client.Connection;
        try
        {
            return await ConverseAsync(client, stopping);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // One broken conversation must not bring the server down for the clients still waiting.
            Transport.TransportLog.ConversationFailed(_logger, connection.ConnectionId, e);
            connection.Abort();
            return ConversationEnd.ClientHungUp;
        }
    }

    private async Task<ConversationEnd> ConverseAsync(WaitingClient client, CancellationToken stopping)
    {
        IServerConnection connection = client.Connection;
        // What the client sent while it waited stays in the pipe, for the conversation to read first.
        await client.StopWatchingAsync();
        var line = new LineConnection(connection.Transport, _options.Lines, connection.RemoteEndPoint, _time);
        _operator.ClientConnected(connection.RemoteEndPoint);
        if (client.WasTold)
        {
            await line.SendAsync(Strings.YourTurn, stopping);
        }

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
        if (_options.KeepOpen)
        {
            _line.Free(); // The next is taken at once: whoever arrives from now on is not told to wait.
        }

        DialogueLog.ConversationEnded(_logger, connection.ConnectionId, end);
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
                    DialogueLog.LineTooLong(_logger, line.RemoteEndPoint, _options.Lines.MaxLineBytes);
                    return ConversationEnd.ClientTooLong;
            }

            DialogueLog.MessageReceived(_logger, line.RemoteEndPoint, read.Text);
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

    private static string Format(string format, object? argument) => string.Format(CultureInfo.CurrentCulture, format, argument);

}
