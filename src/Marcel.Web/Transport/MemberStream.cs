using System.Buffers;

namespace Marcel.Web.Transport;

/// <summary>
/// The stream a detached WebSocket runs on: the connection's own stream (after what Kestrel had already read past the
/// upgrade request, if anything), which the WebSocket may give up without closing the connection.
/// </summary>
/// <remarks>
/// <para>
/// The WebSocket disposes its stream when it closes or aborts (a frame it refuses, no pong in time, the room cutting a
/// slow reader off), and disposing is also how it ends its I/O in progress. The connection must outlive that: after a
/// refused frame the WebSocket has sent its close frame, which the peer must be able to read before the host closes
/// the socket (closing on unread input resets the connection, and a reset can destroy what is still in flight). So
/// disposing this stream only ends the reads and writes in progress and then reads the peer out, discarding, until it
/// hangs up or the host closes the connection, which <see cref="PeerGone"/> says (as it does when a read finds the end
/// of the stream or a reset while the WebSocket is still reading).
/// </para>
/// <para>
/// A quiet member holds no buffer here: the WebSocket waits with a zero-byte read, passed down to the socket.
/// </para>
/// </remarks>
internal sealed class MemberStream : AsyncDuplexStream
{
    private const int DrainBuffer = 256;

    private readonly Stream _connection;
    private readonly CancellationTokenSource _givenUp = new();
    private readonly CancellationTokenSource _peerGone = new();
    private byte[]? _readAhead;
    private int _readAheadAt;
    private int _reading;
    private int _disposed;
    private int _draining;
    private int _hungUp;

    /// <summary>Runs on <paramref name="connection"/>, after <paramref name="readAhead"/> (bytes that came with the request).</summary>
    public MemberStream(Stream connection, byte[]? readAhead)
    {
        _connection = connection;
        _readAhead = readAhead is { Length: > 0 } ? readAhead : null;
    }

    /// <summary>Fires once the peer has hung up (end of stream, reset) or the connection is closed, as a read here or the drain finds.</summary>
    public CancellationToken PeerGone => _peerGone.Token;

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_readAhead is { } early)
        {
            // A zero-byte read is answered at once (0): there is something to read.
            int count = Math.Min(buffer.Length, early.Length - _readAheadAt);
            early.AsSpan(_readAheadAt, count).CopyTo(buffer.Span);
            _readAheadAt += count;
            if (_readAheadAt == early.Length)
            {
                _readAhead = null;
            }

            return ValueTask.FromResult(count);
        }

        return ReadFromConnectionAsync(buffer, cancellationToken);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return ValueTask.FromException(new ObjectDisposedException(nameof(MemberStream)));
        }

        // The room's sends pass no token: the one that fires when the stream is given up ends a send to a peer that
        // does not read (a write that fits in the socket's buffer never looks at it).
        return cancellationToken.CanBeCanceled ? WriteEitherAsync(buffer, cancellationToken) : _connection.WriteAsync(buffer, _givenUp.Token);
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => _connection.FlushAsync(cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            // Off this thread: the WebSocket disposes under its own lock, and the cancelled I/O's continuations are its own.
            ThreadPool.UnsafeQueueUserWorkItem(static s => s.Cancel(), _givenUp, preferLocal: false);
            if (Volatile.Read(ref _reading) == 0)
            {
                StartDrain();
            }
        }

        base.Dispose(disposing);
    }

    private async ValueTask<int> ReadFromConnectionAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        // Interlocked on both sides (here and in Dispose): whichever comes second sees the other and starts the drain,
        // which must not read while this read is still in progress (SslStream allows one read at a time).
        Interlocked.Exchange(ref _reading, 1);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            int read;
            if (!cancellationToken.CanBeCanceled)
            {
                read = await _connection.ReadAsync(buffer, _givenUp.Token);
            }
            else
            {
                using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _givenUp.Token);
                read = await _connection.ReadAsync(buffer, either.Token);
            }

            if (read == 0 && !buffer.IsEmpty)
            {
                HungUp(); // The end of the stream (a zero-byte read's 0 only says that something can be read).
            }

            return read;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException && Volatile.Read(ref _disposed) == 0)
        {
            HungUp(); // Reset, found gone by keepalive, or closed by the host (given up, the drain says it instead).
            throw;
        }
        finally
        {
            Interlocked.Exchange(ref _reading, 0);
            if (Volatile.Read(ref _disposed) != 0)
            {
                StartDrain();
            }
        }
    }

    private async ValueTask WriteEitherAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _givenUp.Token);
        await _connection.WriteAsync(buffer, either.Token);
    }

    private void StartDrain()
    {
        if (Interlocked.Exchange(ref _draining, 1) == 0)
        {
            _ = DrainAsync();
        }
    }

    /// <summary>Reads what the peer still sends (its close frame, late messages), discarding it, until it hangs up.</summary>
    private async Task DrainAsync()
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(DrainBuffer);
        try
        {
            while (await _connection.ReadAsync(buffer) > 0)
            {
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException or NotSupportedException)
        {
            // Reset, or the host closed the connection: the peer is gone either way.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            HungUp();
        }
    }

    private void HungUp()
    {
        if (Interlocked.Exchange(ref _hungUp, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static s => s.Cancel(), _peerGone, preferLocal: false);
        }
    }
}
