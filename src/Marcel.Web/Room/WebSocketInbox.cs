using System.Buffers;
using System.Net.WebSockets;
using Marcel.Core.Chat;
using Marcel.Core.Chat.Members;
using Marcel.Core.Chat.Room;
using Marcel.Web.Resources;
using Microsoft.Extensions.Logging;

namespace Marcel.Web.Room;

/// <summary>
/// A browser member's incoming side: each text message, line by line, into the room (said lines in one batch,
/// commands carried out in their place) until the peer closes, the socket fails, or the peer sends what the room
/// refuses. Its receive is never cancelled (a cancelled receive aborts a WebSocket): the peer's close reply ends it.
/// </summary>
/// <remarks>Not thread-safe: one per member, read by one loop.</remarks>
internal sealed class WebSocketInbox
{
    private readonly ChatRoom _room;
    private readonly QueuedMember _member;
    private readonly WebSocketMessageReader _reader;
    private readonly WebPeer _peer;
    private readonly ILogger _logger;
    private SaidBatch? _batch;

    /// <summary>The inbox of <paramref name="member"/>, reading <paramref name="socket"/> messages of at most <paramref name="maxMessageBytes"/>.</summary>
    public WebSocketInbox(ChatRoom room, QueuedMember member, WebSocket socket, WebPeer peer, int maxMessageBytes, ILogger logger)
    {
        _room = room;
        _member = member;
        _reader = new WebSocketMessageReader(socket, maxMessageBytes);
        _peer = peer;
        _logger = logger;
    }

    /// <summary>Set when the peer sent a binary message: the close code, its reason and the line that says why.</summary>
    public (WebSocketCloseStatus Status, string Description, string Line)? Refusal { get; private set; }

    /// <summary>
    /// Reads until the peer closes or the socket fails, and says why it ended. With <paramref name="say"/> false (a
    /// newcomer refused), or once the room dismissed the member, what arrives is read away, never said: reading on
    /// until the peer's close reply means the connection is never closed on unread input (a reset that can destroy
    /// the last line in flight).
    /// </summary>
    public async Task<ChatCloseReason> ReadAsync(bool say)
    {
        try
        {
            while (true)
            {
                WebSocketRead read = await _reader.ReadAsync(CancellationToken.None);
                switch (read)
                {
                    case WebSocketRead.Closed:
                        return ChatCloseReason.HungUp;
                    case WebSocketRead.TooBig:
                        WebLog.MessageTooBig(_logger, _peer.Remote, _room.Options.Lines.MaxLineBytes);
                        return ChatCloseReason.TooLong;
                    case WebSocketRead.Binary:
                        Refusal = (WebSocketCloseStatus.InvalidMessageType, "text only", WebStrings.BinaryRefused);
                        return ChatCloseReason.HungUp;
                }

                if (say && _member.StopReason is null && !await SayAsync(_reader.Message))
                {
                    return ChatCloseReason.Quit;
                }
            }
        }
        catch (Exception e) when (WebSocketMember.IsFailure(e))
        {
            // Reset, vanished, or text that is not UTF-8 (the WebSocket layer already sent 1007 and gave the socket up).
            WebLog.SocketFailed(_logger, _peer.Remote, e);
            return ChatCloseReason.HungUp;
        }
        finally
        {
            _batch?.Release();
        }
    }

    /// <summary>Gives back the reader's buffer, once the member has left.</summary>
    public void Release() => _reader.Release();

    /// <summary>Hands one message's lines to the room: said lines in one batch, commands carried out in their place. False on <c>/quit</c>.</summary>
    private async ValueTask<bool> SayAsync(ReadOnlyMemory<byte> message)
    {
        _member.Heard(_room.Time.GetTimestamp());
        var rest = new ReadOnlySequence<byte>(message);
        while (WebSocketLines.TryTake(ref rest, out ReadOnlySequence<byte> line))
        {
            SaidBatch batch = _batch ??= new SaidBatch();
            if (batch.Add(line, out ChatCommand command))
            {
                SayBatch();
                if (!await _room.ObeyAsync(_member, command))
                {
                    return false;
                }
            }
            else if (batch.IsFull)
            {
                SayBatch();
            }
        }

        SayBatch();
        return true;
    }

    private void SayBatch()
    {
        if (_batch is { } batch)
        {
            _room.Say(_member, batch);
        }
    }
}
