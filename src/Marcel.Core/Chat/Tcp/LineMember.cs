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
    private readonly ChatRoom _room;
    private readonly IServerConnection _connection;
    private SaidBatch? _batch;
    private ChatCommand? _command;

    private LineMember(ChatRoom room, IWireFormat format, IServerConnection connection)
        : base(room.NewIdentity(MemberKinds.Tcp, connection.RemoteEndPoint), format, room.Options.MaxQueueBytes, room.Time.GetTimestamp())
    {
        _room = room;
        _connection = connection;
    }

    /// <summary>Serves one accepted connection from admission to close; the connection lives as long as the returned task.</summary>
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
            JoinOutcome outcome = await room.JoinAsync(member);
            if (outcome != JoinOutcome.Joined)
            {
                await member.CloseAsync(new Delivery(PrivateReply.Of(room.RefusalLine(outcome))), ChatCloseReason.Shutdown);
                return;
            }

            ChatCloseReason reason = await member.ReadAsync(lines);
            await member.CloseAsync(await room.LeaveAsync(member, reason), reason);
        }
        catch (Exception e) when (IsFailure(e))
        {
            ChatLog.ConnectionFailed(room.Logger, connection.RemoteEndPoint, e);
        }
        finally
        {
            if (member is not null)
            {
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
    protected override async ValueTask WriteAsync(ReadOnlyMemory<EncodedEvent> batch)
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
        }
    }

    private static bool IsFailure(Exception e) =>
        e is IOException or SocketException or ObjectDisposedException;

    /// <summary>Reads the member's lines until it leaves; returns why it left.</summary>
    private async Task<ChatCloseReason> ReadAsync(LineOptions lines)
    {
        // A quiet member waits with a zero-byte read: no buffer, no pipe read, no frames; and its reader is made when it
        // first sends, so a member who only listens never holds one.
        LineReader? reader = null;
        try
        {
            while (true)
            {
                if (reader is null || !reader.HasBufferedInput())
                {
                    await _connection.WaitForDataAsync(Stopping);
                }

                reader ??= new LineReader(_connection.Transport.Input, lines, _room.Time);
                LineReadResult read = await reader.ReadLinesAsync(this, Stopping);
                Heard(_room.Time.GetTimestamp()); // Before the lines go out: whoever sees them knows the member was heard.
                SayBatch();
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
            }
        }
        catch (OperationCanceledException) when (StopReason is { } reason)
        {
            return reason;
        }
        catch (Exception e) when (IsFailure(e))
        {
            return StopReason ?? ChatCloseReason.HungUp;
        }
        finally
        {
            _batch?.Release();
        }
    }

    private void SayBatch()
    {
        if (_batch?.Take(Identity) is { } said)
        {
            _room.Say(said);
        }
    }

    /// <summary>
    /// Sends what is queued and <paramref name="last"/>, bounded by the shutdown grace; then, when the peer may still be
    /// sending (a line too long, a /quit with more behind it), ends our side and reads its input away until it closes,
    /// so the kernel has no unread data to answer with a reset that would destroy the last line in flight.
    /// </summary>
    private async Task CloseAsync(Delivery? last, ChatCloseReason reason)
    {
        if (reason == ChatCloseReason.Overflow)
        {
            return; // Already discarded and aborted: nothing more can reach it.
        }

        Task drained = CloseAsync(last);
        if (await Task.WhenAny(drained, Task.Delay(_room.Options.ShutdownGrace, _room.Time)) != drained)
        {
            Discard();
            _connection.Abort();
            return;
        }

        await drained;
        if (reason is ChatCloseReason.TooLong or ChatCloseReason.Quit or ChatCloseReason.Kicked or ChatCloseReason.Idle)
        {
            await DiscardInputAsync();
        }

        await _connection.Transport.Output.CompleteAsync();
    }

    private async Task DiscardInputAsync()
    {
        // Plain TCP only: over TLS the host says close_notify when the handler ends; a bare FIN before it would truncate.
        if (_connection is TcpServerConnection { Stream: not System.Net.Security.SslStream } tcp)
        {
            try
            {
                tcp.Socket.Shutdown(SocketShutdown.Send); // Our FIN: the peer sees the end and closes in turn.
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
        }

        using var deadline = new CancellationTokenSource(_room.Options.ShutdownGrace, _room.Time);
        PipeReader input = _connection.Transport.Input;
        try
        {
            while (true)
            {
                ReadResult read = await input.ReadAsync(deadline.Token);
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
