using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Marcel.Core.Chat.Events;
using Marcel.Core.Chat.Members;
using Marcel.Core.Chat.Room;
using Marcel.Core.Framing;
using Marcel.Core.Transport;

namespace Marcel.Core.Chat.Tcp;

/// <summary>
/// A line client over TCP (plain or TLS) as a room member: reads its lines in batches, hands them to the room, and
/// writes what the room queues for it. The one place where the chat meets a connection (the host's
/// <see cref="IServerConnection"/>): a host that hands over another kind of connection changes this file only.
/// </summary>
internal sealed class LineMember : QueuedMember, ILineVisitor
{
    // Where the read loop is, for a dismissal it cannot hear (see OnStopping): processing what it read, waiting on the
    // peer, or waiting after the dismissal took over the member's close.
    private const int Busy = 0;
    private const int Waiting = 1;
    private const int Taken = 2;

    private readonly ChatRoom _room;
    private readonly IServerConnection _connection;
    private SaidBatch? _batch;
    private ChatCommand? _command;
    private int _reading;
    private TaskCompletionSource? _readerGone;
    private TaskCompletionSource? _takenClosed;

    private LineMember(ChatRoom room, IWireFormat format, IServerConnection connection)
        : base(room.NewIdentity(MemberKinds.Tcp, connection.RemoteEndPoint), format, room.Options.MaxQueueBytes, room.Time.GetTimestamp())
    {
        _room = room;
        _connection = connection;
    }

    /// <summary>
    /// Plain TCP: the read loop waits on the socket with no cancellation token, so that a quiet member holds no token
    /// source and no registration (~190 bytes each). A dismissal then wakes it through the peer: see <see cref="OnStopping"/>.
    /// TLS (and any other connection) waits on <see cref="QueuedMember.Stopping"/>: its close_notify must come first.
    /// </summary>
    private bool WokenByPeer => _connection is TcpServerConnection { Stream: not System.Net.Security.SslStream };

    /// <summary>
    /// Serves one accepted connection from admission to close; the connection lives as long as the returned task. The
    /// read loop is here, not in a method of its own: a quiet member then holds one async frame (~180 bytes less).
    /// </summary>
    public static async Task ServeAsync(ChatRoom room, IWireFormat format, LineOptions lines, IServerConnection connection)
    {
        room.ConnectionOpened();
        LineMember? member = null;
        try
        {
            if (!room.Admits(connection.RemoteEndPoint))
            {
                return; // Closed without a word: a denied address learns nothing about the room.
            }

            member = new LineMember(room, format, connection);
            if (!await member.JoinAsync())
            {
                return;
            }

            // A quiet member waits with a zero-byte read: no buffer, no pipe read, no frames; and its reader is made when
            // it first sends, so a member who only listens never holds one.
            CancellationToken stopping = member.WokenByPeer ? CancellationToken.None : member.Stopping;
            LineReader? reader = null;
            ChatCloseReason? reason = null;
            try
            {
                while (member.BeginWait())
                {
                    if (reader is null || !reader.HasBufferedInput())
                    {
                        await connection.WaitForDataAsync(stopping);
                    }

                    reader ??= new LineReader(connection.Transport.Input, lines, room.Time);
                    LineReadResult read = await reader.ReadLinesAsync(member, stopping);
                    if (!member.EndWait() || (reason = await member.HandleAsync(read, lines)) is not null)
                    {
                        break; // Its close was taken over by a dismissal (what it just sent is dropped), or it leaves.
                    }
                }
            }
            catch (OperationCanceledException) when (member.StopReason is not null)
            {
                // Dismissed (TLS): the reason says why.
            }
            catch (Exception e) when (IsFailure(e))
            {
                reason = member.StopReason ?? ChatCloseReason.HungUp;
            }

            await member.EndAsync(reason);
        }
        catch (Exception e) when (IsFailure(e))
        {
            ChatLog.ConnectionFailed(room.Logger, connection.RemoteEndPoint, e);
        }
        finally
        {
            if (member is not null)
            {
                member._batch?.Release();
                await room.LeaveAsync(member, ChatCloseReason.HungUp); // Announces only if it did not leave already.
                member.Dispose();
            }

            room.ConnectionClosed();
        }
    }

    /// <inheritdoc />
    bool ILineVisitor.Visit(in ReadOnlySequence<byte> line)
    {
        SaidBatch batch = _batch ??= new SaidBatch();
        if (batch.Add(line, out ChatCommand command))
        {
            _command = command;
            return false; // Said lines before it go first; then the command.
        }

        return !batch.IsFull;
    }

    /// <inheritdoc />
    protected override ValueTask WriteAsync(ReadOnlyMemory<EncodedEvent> batch)
    {
        if (_connection is TcpServerConnection tcp)
        {
            return WriteToStreamAsync(tcp.Stream, batch);
        }

        return WriteToPipeAsync(batch);
    }

    /// <summary>
    /// Our own socket (or TLS over it): straight to the stream, one write for the whole batch, with no pipe writer to
    /// keep per member afterwards (its object, segments and lock cost a quiet member a few hundred bytes for ever).
    /// </summary>
    private static async ValueTask WriteToStreamAsync(Stream stream, ReadOnlyMemory<EncodedEvent> batch)
    {
        if (batch.Length == 1)
        {
            await stream.WriteAsync(batch.Span[0].Bytes); // The encoded bytes are shared and immutable: no copy needed.
            return;
        }

        int total = 0;
        foreach (EncodedEvent e in batch.Span) total += e.Bytes.Length;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            int at = 0;
            foreach (EncodedEvent e in batch.Span)
            {
                e.Bytes.CopyTo(buffer.AsMemory(at));
                at += e.Bytes.Length;
            }

            await stream.WriteAsync(buffer.AsMemory(0, total));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async ValueTask WriteToPipeAsync(ReadOnlyMemory<EncodedEvent> batch)
    {
        // One contiguous buffer, one flush: one send() for everything queued (a pipe flushes segment by segment).
        int total = 0;
        foreach (EncodedEvent e in batch.Span) total += e.Bytes.Length;
        PipeWriter output = _connection.Transport.Output;
        Memory<byte> to = output.GetMemory(total);
        foreach (EncodedEvent e in batch.Span)
        {
            e.Bytes.CopyTo(to);
            to = to[e.Bytes.Length..];
        }

        output.Advance(total);
        FlushResult flushed = await output.FlushAsync();
        if (flushed.IsCompleted || flushed.IsCanceled)
        {
            Discard();
        }
    }

    /// <inheritdoc />
    protected override bool IsTransportFailure(Exception exception) => IsFailure(exception);

    /// <inheritdoc />
    protected override void OnStopping(ChatCloseReason reason)
    {
        if (reason == ChatCloseReason.Overflow)
        {
            _connection.Abort(); // Its pending write (and read) fail at once; its reader then reports the leave.
            return;
        }

        if (!WokenByPeer)
        {
            return; // Its read loop waits on Stopping and wakes by itself.
        }

        // A read loop waiting on the peer with no token cannot hear this: if it is waiting, its close is taken over here;
        // if it is busy, it sees the reason before it waits again.
        _readerGone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _takenClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Interlocked.CompareExchange(ref _reading, Taken, Waiting) == Waiting)
        {
            _ = Task.Run(() => TakenCloseAsync(reason)); // Off the caller's thread (a timer, the bus, the room's shutdown).
        }
    }

    private static bool IsFailure(Exception e) =>
        e is IOException or SocketException or ObjectDisposedException;

    /// <summary>Joins the room; false when refused (the newcomer is told why and closed).</summary>
    private async Task<bool> JoinAsync()
    {
        JoinOutcome outcome = await _room.JoinAsync(this);
        if (outcome == JoinOutcome.Joined)
        {
            return true;
        }

        await CloseAsync(new Delivery(PrivateReply.Of(_room.RefusalLine(outcome))), ChatCloseReason.Shutdown);
        return false;
    }

    /// <summary>Enters the wait for the peer; false once dismissed (who closes the member is then decided by <see cref="EndWait"/>).</summary>
    private bool BeginWait()
    {
        Interlocked.Exchange(ref _reading, Waiting); // A full fence: a dismissal after it sees Waiting, or this sees its reason.
        return StopReason is null;
    }

    /// <summary>Leaves the wait; false when a dismissal took over the close meanwhile (the read loop then only reads away).</summary>
    private bool EndWait() => Interlocked.CompareExchange(ref _reading, Busy, Waiting) != Taken;

    /// <summary>Says what was read and carries out its command; returns why the member leaves, or null to read on.</summary>
    private async ValueTask<ChatCloseReason?> HandleAsync(LineReadResult read, LineOptions lines)
    {
        Heard(_room.Time.GetTimestamp()); // Before the lines go out: whoever sees them knows the member was heard.
        if (_batch is { } batch)
        {
            _room.Say(this, batch);
        }

        switch (read.Kind)
        {
            case LineReadKind.EndOfStream:
                return ChatCloseReason.HungUp;
            case LineReadKind.TooLong:
                ChatLog.LineTooLong(_room.Logger, _connection.RemoteEndPoint, lines.MaxLineBytes);
                return ChatCloseReason.TooLong;
        }

        if (_command is { } command)
        {
            _command = null;
            if (!await _room.ObeyAsync(this, command))
            {
                return ChatCloseReason.Quit;
            }
        }

        return null;
    }

    /// <summary>After the read loop: closes the member, or, when a dismissal took its close over, reads away until that close is done.</summary>
    private async Task EndAsync(ChatCloseReason? reason)
    {
        if (!EndWait())
        {
            await ReadAwayAsync(CancellationToken.None); // Until the peer answers our FIN, or the taken close cuts it off.
            _readerGone!.TrySetResult();
            await _takenClosed!.Task;
            return;
        }

        ChatCloseReason why = reason ?? StopReason ?? ChatCloseReason.HungUp;
        await CloseAsync(await _room.LeaveAsync(this, why), why);
    }

    /// <summary>
    /// Closes a member dismissed while its read loop waited on the peer with no token (plain TCP): leaves, sends what is
    /// queued and the last line, then ends our side so that the peer closes in turn and the read loop wakes to read
    /// away; cut off if it has not within the grace. At shutdown the connection is simply closed once drained.
    /// </summary>
    private async Task TakenCloseAsync(ChatCloseReason reason)
    {
        try
        {
            if (!await DrainLastAsync(await _room.LeaveAsync(this, reason)))
            {
                return;
            }

            // The grace starts before our FIN: by the time the peer can see it, the clock that cuts it off is running.
            Task grace = Task.Delay(_room.Options.ShutdownGrace, _room.Time);
            if (reason != ChatCloseReason.Shutdown && EndOurSide())
            {
                Task gone = _readerGone!.Task;
                if (await Task.WhenAny(gone, grace) == gone)
                {
                    return;
                }
            }

            _connection.Abort(); // Wakes the read loop (its wait fails) if the peer has not closed.
        }
        catch (Exception e)
        {
            _connection.Abort();
            _takenClosed!.TrySetException(e);
        }
        finally
        {
            _takenClosed!.TrySetResult();
        }
    }

    /// <summary>
    /// Sends what is queued and <paramref name="last"/>, bounded by the shutdown grace; then, when the peer may still be
    /// sending (a line too long, a /quit with more behind it), ends our side and reads its input away until it closes,
    /// so the kernel has no unread data to answer with a reset that would destroy the last line in flight.
    /// </summary>
    private async Task CloseAsync(Delivery? last, ChatCloseReason reason)
    {
        if (reason == ChatCloseReason.Overflow || !await DrainLastAsync(last))
        {
            return; // Already discarded and aborted: nothing more can reach it.
        }

        if (reason is ChatCloseReason.TooLong or ChatCloseReason.Quit or ChatCloseReason.Kicked or ChatCloseReason.Idle)
        {
            // Plain TCP only: over TLS the host says close_notify when the handler ends; a bare FIN before it would truncate.
            if (!WokenByPeer || EndOurSide())
            {
                using var deadline = new CancellationTokenSource(_room.Options.ShutdownGrace, _room.Time);
                await ReadAwayAsync(deadline.Token);
            }
        }

        if (_connection is not TcpServerConnection)
        {
            await _connection.Transport.Output.CompleteAsync(); // Ours wrote to the stream: it has no pipe writer to complete.
        }
    }

    /// <summary>Sends what is queued and <paramref name="last"/>; false when the grace ran out first (the connection is then cut).</summary>
    private async Task<bool> DrainLastAsync(Delivery? last)
    {
        Task drained = CloseAsync(last);
        if (await Task.WhenAny(drained, Task.Delay(_room.Options.ShutdownGrace, _room.Time)) != drained)
        {
            Discard();
            _connection.Abort();
            return false;
        }

        await drained;
        return true;
    }

    /// <summary>Sends our FIN (plain TCP): the peer sees the end and closes in turn. False when the socket is already gone.</summary>
    private bool EndOurSide()
    {
        try
        {
            ((TcpServerConnection)_connection).Socket.Shutdown(SocketShutdown.Send);
            return true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Reads the peer's input away until it closes, fails, or <paramref name="deadline"/> fires.</summary>
    private async Task ReadAwayAsync(CancellationToken deadline)
    {
        PipeReader input = _connection.Transport.Input;
        try
        {
            while (true)
            {
                ReadResult read = await input.ReadAsync(deadline);
                input.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted || read.IsCanceled)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException || IsFailure(e))
        {
            // The peer kept sending past the grace (it gets the reset it asked for), or reset meanwhile.
        }
    }
}
