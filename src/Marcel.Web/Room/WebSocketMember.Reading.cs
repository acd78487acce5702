using System.Buffers;
using System.Net.WebSockets;
using Marcel.Core.Chat;
using Marcel.Core.Chat.Events;
using Marcel.Core.Chat.Members;
using Marcel.Web.Resources;

namespace Marcel.Web.Room;

internal sealed partial class WebSocketMember
{
    /// <summary>Reads until the member leaves (or is dismissed), tells the room, and ends the socket with the right code.</summary>
    private async Task RunAsync()
    {
        Task<ChatCloseReason> reading = ReadAsync();
        var dismissed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (Stopping.Register(static d => ((TaskCompletionSource)d!).TrySetResult(), dismissed))
        {
            await Task.WhenAny(reading, dismissed.Task);
        }

        ChatCloseReason reason = StopReason ?? await reading;
        Delivery? last = await _room.LeaveAsync(this, reason);
        var close = WebSocketCloseCodes.For(reason);
        if (_refusal is { } refusal)
        {
            last = new Delivery(PrivateReply.Of(refusal.Line));
            close = (refusal.Status, refusal.Description);
        }

        await EndAsync(last, close, reading);
    }

    /// <summary>The member's messages, line by line into the room, until the peer closes or the socket fails; why it ended.</summary>
    private async Task<ChatCloseReason> ReadAsync()
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
                        _refusal = (WebSocketCloseStatus.InvalidMessageType, "text only", WebStrings.BinaryRefused);
                        return ChatCloseReason.HungUp;
                }

                // Once dismissed, what still arrives before the peer's close reply is read away, never said.
                if (StopReason is null && !await SayAsync(_reader.Message))
                {
                    return ChatCloseReason.Quit;
                }
            }
        }
        catch (Exception e) when (IsFailure(e))
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

    /// <summary>Hands one message's lines to the room: said lines in one batch, commands carried out in their place. False on <c>/quit</c>.</summary>
    private async ValueTask<bool> SayAsync(ReadOnlyMemory<byte> message)
    {
        Heard(_room.Time.GetTimestamp());
        var rest = new ReadOnlySequence<byte>(message);
        while (WebSocketLines.TryTake(ref rest, out ReadOnlySequence<byte> line))
        {
            SaidBatch batch = _batch ??= new SaidBatch();
            if (batch.Add(line, out ChatCommand command))
            {
                SayBatch();
                if (!await _room.ObeyAsync(this, command))
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
        if (_batch?.Take(Identity) is { } said)
        {
            _room.Say(said);
        }
    }

    /// <summary>
    /// Sends what is queued and <paramref name="last"/>, then the close frame, each bounded by the shutdown grace; then
    /// waits (bounded) for the peer's close reply, which ends <paramref name="reading"/>, so the connection is closed
    /// only once the peer has read everything (closing earlier could make its reply meet a reset).
    /// </summary>
    private async Task EndAsync(Delivery? last, (WebSocketCloseStatus Status, string Description) close, Task reading)
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
}
