namespace Marcel.Core.Hosting;

/// <summary>
/// Lets a handler wait for a connection's next bytes without a read in progress: no buffer rented, no pipe read and
/// no async frames held while the peer is quiet. A room of ten thousand idle clients waits this way.
/// </summary>
public interface IConnectionReadinessFeature
{
    /// <summary>
    /// Completes when the peer has sent something or closed (a read will then not wait), or throws as a read would
    /// (reset, abort). It is a zero-byte read: it consumes nothing and its result is always 0 (a plain
    /// <see cref="ValueTask{TResult}"/> so that waiting allocates nothing).
    /// </summary>
    ValueTask<int> WaitForDataAsync(CancellationToken cancellationToken);
}
