namespace Marcel.Web.Transport;

/// <summary>
/// A connection's stream as Kestrel's pipes read and write it, until a request handler takes the connection away
/// (<see cref="Detach"/>): from then on Kestrel reads the end of the stream and its writes go nowhere, so it finishes
/// the request, sees the connection end and lets go of all its HTTP state, while the stream itself stays open for the
/// WebSocket. Disposing it leaves the connection's stream alone: the host owns that.
/// </summary>
internal sealed class DetachableStream(Stream connection) : Stream
{
    private volatile bool _detached;

    /// <summary>True once the connection belongs to a WebSocket.</summary>
    public bool IsDetached => _detached;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Cuts Kestrel off the connection. Call it while Kestrel has no read in progress (inside a request handler).</summary>
    public void Detach() => _detached = true;

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _detached ? ValueTask.FromResult(0) : connection.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _detached ? ValueTask.CompletedTask : connection.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) =>
        _detached ? Task.CompletedTask : connection.FlushAsync(cancellationToken);

    // Kestrel's pipes only read and write asynchronously; the socket is non-blocking (EagerNetworkStream).
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
