namespace Marcel.Web.Transport;

/// <summary>
/// A connection's stream as Kestrel's pipes read and write it, until a request handler takes the connection away
/// (<see cref="Detach"/>): from then on Kestrel reads the end of the stream and its writes go nowhere, so it finishes
/// the request, sees the connection end and lets go of all its HTTP state, while the stream itself stays open for the
/// WebSocket. Disposing it leaves the connection's stream alone: the host owns that.
/// </summary>
internal sealed class DetachableStream(Stream connection) : AsyncDuplexStream
{
    private volatile bool _detached;

    /// <summary>True once the connection belongs to a WebSocket.</summary>
    public bool IsDetached => _detached;

    /// <summary>Cuts Kestrel off the connection. Call it while Kestrel has no read in progress (inside a request handler).</summary>
    public void Detach() => _detached = true;

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _detached ? ValueTask.FromResult(0) : connection.ReadAsync(buffer, cancellationToken);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _detached ? ValueTask.CompletedTask : connection.WriteAsync(buffer, cancellationToken);

    public override Task FlushAsync(CancellationToken cancellationToken) =>
        _detached ? Task.CompletedTask : connection.FlushAsync(cancellationToken);
}
