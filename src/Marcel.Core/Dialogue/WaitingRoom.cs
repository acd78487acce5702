using System.Globalization;
using Marcel.Core.Framing;
using Marcel.Core.Resources;
using Marcel.Core.Transport;
using Microsoft.Extensions.Logging;

namespace Marcel.Core.Dialogue;

/// <summary>
/// The dialogue's TCP clients before and during their turn: each arrival takes its place in the
/// <see cref="WaitingLine{T}"/> (told its number when it must wait, or that the line is full), a client who hangs up
/// while waiting leaves it, and the server is handed the first in line, told its turn came.
/// </summary>
internal sealed class WaitingRoom : IConversationSource
{
    // How long a notice to a client outside its conversation may take to leave.
    private static readonly TimeSpan NoticeTimeout = TimeSpan.FromSeconds(1);

    private readonly DialogueOptions _options;
    private readonly IDialogueOperator _operator;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly WaitingLine<WaitingClient> _line;
    private readonly HashSet<WaitingClient> _waitingClients = [];
    private readonly Dictionary<LinePeer, WaitingClient> _serving = [];

    /// <summary>A room for at most <see cref="DialogueOptions.MaxWaiting"/> waiting clients.</summary>
    public WaitingRoom(DialogueOptions options, IDialogueOperator console, ILogger logger, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxWaiting, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxWaiting, DialogueOptions.MaxWaitingCap, nameof(options));
        _options = options;
        _operator = console;
        _logger = logger;
        _time = time;
        _line = new WaitingLine<WaitingClient>(options.MaxWaiting);
    }

    /// <summary>Clients waiting their turn now.</summary>
    public int Count => _line.Count;

    /// <summary>Bytes read from the clients waiting their turn and held for their conversations.</summary>
    public long BufferedBytes
    {
        get { lock (_waitingClients) return _waitingClients.Sum(static c => c.Buffered); }
    }

    /// <summary>
    /// Takes <paramref name="connection"/>'s place in line (told its number when it must wait), waits for its turn,
    /// then for the conversation to end.
    /// </summary>
    public async Task ServeAsync(IServerConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var client = new WaitingClient(connection, _options.Lines.MaxLineBytes);
        DialogueLog.ConnectionAccepted(_logger, connection.ConnectionId, connection.RemoteEndPoint);
        int position = _line.Join(client);
        switch (position)
        {
            case WaitingLine<WaitingClient>.Closed:
                return; // The server is stopping: the host closes the connection.
            case WaitingLine<WaitingClient>.Full:
                await NoticeAsync(connection, string.Format(CultureInfo.CurrentCulture, Strings.LineFull, _options.MaxWaiting));
                return;
            case 0:
                client.ServeAtOnce();
                break;
            default:
                lock (_waitingClients)
                {
                    _waitingClients.Add(client);
                }

                _operator.ClientWaiting(connection.RemoteEndPoint, position);
                client.WasTold = await NoticeAsync(connection, string.Format(CultureInfo.CurrentCulture, Strings.WaitingInLine, position, _options.Name));
                client.Watch(HungUpWhileWaiting);
                break;
        }

        try
        {
            await client.Finished;
            await client.StopWatchingAsync();
        }
        finally
        {
            lock (_waitingClients)
            {
                _waitingClients.Remove(client);
            }
        }
    }

    /// <summary>The first client in line, its waiting read stopped and told its turn came when it was told to wait.</summary>
    public async ValueTask<IConversationPeer> NextAsync(CancellationToken cancellationToken)
    {
        WaitingClient client = await _line.TakeAsync(cancellationToken);
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
                await peer.SendAsync(Strings.YourTurn, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Gone meanwhile: the conversation's first read or write will tell.
                TransportLog.ConversationFailed(_logger, connection.ConnectionId, e);
            }
        }

        return peer;
    }

    /// <summary>The conversation with <paramref name="peer"/> is over: its connection may close.</summary>
    public void Finished(IConversationPeer peer)
    {
        WaitingClient client;
        lock (_serving)
        {
            _serving.Remove((LinePeer)peer, out client!);
        }

        client.Finish();
    }

    /// <summary>Closes the line and lets go of everyone still in it; returns how many there were.</summary>
    public int DropWaiting()
    {
        List<WaitingClient> dropped = _line.Close();
        foreach (WaitingClient client in dropped)
        {
            client.Finish();
        }

        return dropped.Count;
    }

    private void HungUpWhileWaiting(WaitingClient client)
    {
        if (_line.Leave(client))
        {
            client.Finish(); // Gone before its turn: nobody to greet. (Taken meanwhile, it is served and hangs up at once.)
        }
    }

    /// <summary>One line to a client outside a conversation, bounded in time; false if it could not be sent.</summary>
    private async Task<bool> NoticeAsync(IServerConnection connection, string text)
    {
        using var deadline = new CancellationTokenSource(NoticeTimeout);
        try
        {
            LineFramer.WriteLine(connection.Transport.Output, text, LineEndingBytes.Of(_options.Lines.Ending));
            return !(await connection.Transport.Output.FlushAsync(deadline.Token)).IsCompleted;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException or ObjectDisposedException)
        {
            return false; // A client that does not read, or already left: its turn will tell.
        }
    }
}
