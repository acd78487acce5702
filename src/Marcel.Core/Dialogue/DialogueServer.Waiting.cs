using System.Globalization;
using Marcel.Core.Framing;
using Marcel.Core.Resources;
using Marcel.Core.Transport;

namespace Marcel.Core.Dialogue;

/// <summary>The waiting line: arrivals, their place and notices, and what the operator types while nobody is connected.</summary>
public sealed partial class DialogueServer
{
    /// <summary>Clients waiting their turn now (for tests).</summary>
    internal int WaitingCount => _line.Count;

    /// <summary>Bytes read from the clients waiting their turn and held for their conversations (for tests).</summary>
    internal long WaitingBufferedBytes
    {
        get { lock (_waitingClients) return _waitingClients.Sum(static c => c.Buffered); }
    }

    /// <summary>
    /// The host's entry point for each accepted connection: takes its place in line (told its number when it must
    /// wait), waits for its turn, then for the conversation to end.
    /// </summary>
    public async Task OnConnectedAsync(IServerConnection connection)
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
                await NoticeAsync(connection, Format(Strings.LineFull, _options.MaxWaiting));
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
