using System.Buffers;
using System.Net.WebSockets;
using Marcel.Core.Chat;
using Marcel.Core.Chat.Events;
using Marcel.Core.Chat.Members;
using Marcel.Core.Chat.Room;
using Marcel.Web.Resources;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Marcel.Web.Room;

/// <summary>
/// A browser (or any WebSocket client) as a room member: one text message in is one line, or several when it holds
/// newlines; what the room queues goes out as text frames, a drained batch in one frame. It shares the room's
/// commands, notices, limits and queue policy with every other kind of member.
/// </summary>
/// <remarks>
/// Its receive is never cancelled (a cancelled receive aborts a WebSocket): when the room dismisses it, the member
/// sends its last line and a close frame while the receive stays pending, and the peer's close reply ends it.
/// </remarks>
internal sealed partial class WebSocketMember : QueuedMember
{
    private readonly ChatRoom _room;
    private readonly WebSocket _socket;
    private readonly WebPeer _peer;
    private readonly WebSocketMessageReader _reader;
    private readonly ILogger _logger;
    private SaidBatch? _batch;
    private (WebSocketCloseStatus Status, string Description, string Line)? _refusal;

    private WebSocketMember(ChatRoom room, IWireFormat format, WebSocket socket, WebPeer peer, int maxMessageBytes, ILogger logger)
        : base(room.NewIdentity(MemberKinds.Web, peer.Remote), format, room.Options.MaxQueueBytes, room.Time.GetTimestamp())
    {
        _room = room;
        _socket = socket;
        _peer = peer;
        _reader = new WebSocketMessageReader(socket, maxMessageBytes);
        _logger = logger;
    }

    /// <summary>Serves one accepted WebSocket from its joining to its close; the socket lives as long as the returned task.</summary>
    public static async Task ServeAsync(ChatRoom room, IWireFormat format, WebSocket socket, WebPeer peer, int maxMessageBytes, ILogger logger)
    {
        room.ConnectionOpened();
        WebSocketMember? member = null;
        try
        {
            // The peer's address was admitted (--allow/--deny) when its connection opened, before the page was served.
            member = new WebSocketMember(room, format, socket, peer, maxMessageBytes, logger);
            JoinOutcome outcome = await room.JoinAsync(member);
            if (outcome != JoinOutcome.Joined)
            {
                var refused = outcome == JoinOutcome.Full
                    ? (WebSocketCloseCodes.TryAgainLater, "room full")
                    : (WebSocketCloseStatus.EndpointUnavailable, "server shutting down");
                await member.EndAsync(new Delivery(PrivateReply.Of(room.RefusalLine(outcome))), refused, Task.CompletedTask);
                return;
            }

            await member.RunAsync();
        }
        catch (Exception e) when (IsFailure(e))
        {
            WebLog.SocketFailed(logger, peer.Remote, e);
        }
        finally
        {
            if (member is not null)
            {
                await room.LeaveAsync(member, ChatCloseReason.HungUp); // Announces only if it did not leave already.
                member._reader.Release();
                member.Dispose();
            }

            room.ConnectionClosed();
        }
    }

    /// <inheritdoc />
    protected override async ValueTask WriteAsync(ReadOnlyMemory<EncodedEvent> batch)
    {
        // One frame for the whole batch, its events' lines joined by "\n": one send, however many lines.
        int total = 0, parts = 0;
        ReadOnlyMemory<byte> only = default;
        foreach (EncodedEvent e in batch.Span)
        {
            if (!e.Bytes.IsEmpty)
            {
                total += e.Bytes.Length;
                only = e.Bytes;
                parts++;
            }
        }

        if (parts <= 1)
        {
            if (parts == 1)
            {
                await SendAsync(only);
            }

            return;
        }

        byte[] frame = ArrayPool<byte>.Shared.Rent(total + parts - 1);
        try
        {
            int at = 0;
            foreach (EncodedEvent e in batch.Span)
            {
                if (e.Bytes.IsEmpty)
                {
                    continue;
                }

                if (at > 0)
                {
                    frame[at++] = (byte)'\n';
                }

                e.Bytes.Span.CopyTo(frame.AsSpan(at));
                at += e.Bytes.Length;
            }

            await SendAsync(frame.AsMemory(0, at));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    /// <inheritdoc />
    protected override bool IsTransportFailure(Exception exception) => IsFailure(exception);

    /// <inheritdoc />
    protected override void OnStopping(ChatCloseReason reason)
    {
        if (reason == ChatCloseReason.Overflow)
        {
            _socket.Abort(); // Its pending send (and receive) fail at once; the read loop then reports the leave.
        }
    }

    private static bool IsFailure(Exception e) =>
        e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException or ConnectionResetException or ConnectionAbortedException;

    private ValueTask SendAsync(ReadOnlyMemory<byte> frame) =>
        _socket.SendAsync(frame, WebSocketMessageType.Text, WebSocketMessageFlags.EndOfMessage | WebSocketMessageFlags.DisableCompression, CancellationToken.None);
}
