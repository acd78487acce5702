using System.Buffers;
using System.Net.WebSockets;
using Marcel.Core.Chat;
using Marcel.Core.Chat.Events;
using Marcel.Core.Chat.Members;
using Marcel.Core.Chat.Room;
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
internal sealed class WebSocketMember : QueuedMember
{
    private readonly ChatRoom _room;
    private readonly WebSocket _socket;
    private readonly WebPeer _peer;
    private readonly WebSocketInbox _inbox;

    private WebSocketMember(ChatRoom room, IWireFormat format, WebSocket socket, WebPeer peer, int maxMessageBytes, ILogger logger)
        : base(room.NewIdentity(MemberKinds.Web, peer.Remote), format, room.Options.MaxQueueBytes, room.Time.GetTimestamp())
    {
        _room = room;
        _socket = socket;
        _peer = peer;
        _inbox = new WebSocketInbox(room, this, socket, peer, maxMessageBytes, logger);
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
                // Read on (saying nothing) until the peer's close reply, as a member does: see WebSocketInbox.ReadAsync.
                Task refusedReading = member._inbox.ReadAsync(say: false);
                await member.EndAsync(new Delivery(PrivateReply.Of(room.RefusalLine(outcome))), refused, refusedReading);
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
                member._inbox.Release();
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

    /// <summary>True for the failures that mean the peer or the socket went away (reset, abort, bad UTF-8), not a bug.</summary>
    internal static bool IsFailure(Exception e) =>
        e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException or ConnectionResetException or ConnectionAbortedException;

    /// <summary>Reads until the member leaves (or is dismissed), tells the room, and ends the socket with the right code.</summary>
    private async Task RunAsync()
    {
        Task<ChatCloseReason> reading = _inbox.ReadAsync(say: true);
        var dismissed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (Stopping.Register(static d => ((TaskCompletionSource)d!).TrySetResult(), dismissed))
        {
            await Task.WhenAny(reading, dismissed.Task);
        }

        ChatCloseReason reason = StopReason ?? await reading;
        Delivery? last = await _room.LeaveAsync(this, reason);
        var close = WebSocketCloseCodes.For(reason);
        if (_inbox.Refusal is { } refusal)
        {
            last = new Delivery(PrivateReply.Of(refusal.Line));
            close = (refusal.Status, refusal.Description);
        }

        await EndAsync(last, close, reading);
    }

    /// <summary>
    /// Sends what is queued and <paramref name="last"/>, then the close frame, each bounded by the shutdown grace; then
    /// waits (bounded) for the peer's close reply, which ends <paramref name="reading"/>, so the connection is closed
    /// only once the peer has read everything (closing earlier could make its reply meet a reset).
    /// </summary>
    private async Task EndAsync(Delivery? last, (WebSocketCloseStatus Status, string Description) close, Task reading)
    {
        try
        {
            await SayGoodbyeAsync(last, close, reading);
        }
        finally
        {
            if (!reading.IsCompleted)
            {
                _socket.Abort(); // Nothing more to say: the pending receive must end before the inbox gives its buffer back.
                await reading;
            }
        }
    }

    private async Task SayGoodbyeAsync(Delivery? last, (WebSocketCloseStatus Status, string Description) close, Task reading)
    {
        if (StopReason == ChatCloseReason.Overflow)
        {
            return; // Already discarded and aborted: nothing more can reach it.
        }

        TimeSpan grace = _room.Options.ShutdownGrace;
        Task drained = CloseAsync(last);
        if (await Task.WhenAny(drained, Task.Delay(grace, _room.Time)) != drained)
        {
            Discard();
            _socket.Abort();
            return;
        }

        await drained;
        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var deadline = new CancellationTokenSource(grace, _room.Time);
            try
            {
                await _socket.CloseOutputAsync(close.Status, close.Description, deadline.Token);
            }
            catch (Exception e) when (IsFailure(e))
            {
                return;
            }
        }

        if (_socket.State == WebSocketState.Aborted)
        {
            // The WebSocket layer refused a frame and already sent its close: give the peer the time to read it.
            await Task.WhenAny(Task.Delay(grace, _room.Time), Task.Delay(Timeout.Infinite, _peer.Aborted));
            return;
        }

        if (await Task.WhenAny(reading, Task.Delay(grace, _room.Time)) != reading)
        {
            _socket.Abort();
        }
    }

    private ValueTask SendAsync(ReadOnlyMemory<byte> frame) =>
        _socket.SendAsync(frame, WebSocketMessageType.Text, WebSocketMessageFlags.EndOfMessage | WebSocketMessageFlags.DisableCompression, CancellationToken.None);
}
