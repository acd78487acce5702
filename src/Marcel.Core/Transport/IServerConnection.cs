using System.IO.Pipelines;
using System.Net;

namespace Marcel.Core.Transport;

/// <summary>
/// One accepted connection as a handler sees it: a duplex pipe of plain bytes (TLS, when there is one, is already
/// undone), the two endpoints, a token for its end, and a way to cut it short. The handler's task is the connection's
/// lifetime: when it ends, the host flushes what was written, says close_notify over TLS, and closes the socket.
/// </summary>
/// <remarks>
/// Failures have one shape: a reset by the peer, or a peer that keepalive found gone, fails a read of
/// <see cref="Transport"/>'s input (and <see cref="WaitForDataAsync"/>) with an <see cref="IOException"/>; a peer that
/// closed ends the input (<see cref="ReadResult.IsCompleted"/>). After <see cref="Abort"/> reads and writes fail with an
/// <see cref="IOException"/> or an <see cref="ObjectDisposedException"/>: the handler asked for it.
/// </remarks>
public interface IServerConnection
{
    /// <summary>A short identifier for logs, unique within the process.</summary>
    string ConnectionId { get; }

    /// <summary>The bytes from the peer (<see cref="IDuplexPipe.Input"/>) and to it (<see cref="IDuplexPipe.Output"/>).</summary>
    IDuplexPipe Transport { get; }

    /// <summary>The peer's address and port.</summary>
    EndPoint? RemoteEndPoint { get; }

    /// <summary>Our address and port on this connection (the address the peer reached, the port listened on).</summary>
    EndPoint? LocalEndPoint { get; }

    /// <summary>Cancelled once the connection is closed: by <see cref="Abort"/>, by the host when the handler ends, or at shutdown.</summary>
    CancellationToken ConnectionClosed { get; }

    /// <summary>Closes the connection at once: pending reads and writes fail, unsent output is dropped.</summary>
    void Abort();

    /// <summary>
    /// Lets a handler wait for the peer's next bytes without a read in progress: no buffer rented, no pipe read and no
    /// async frames held while the peer is quiet (a room of ten thousand idle clients waits this way). Completes when
    /// the peer has sent something or closed (a read will then not wait), or throws as a read would. It is a
    /// zero-byte read: it consumes nothing and its result is always 0 (a plain <see cref="ValueTask{TResult}"/> so
    /// that waiting allocates nothing).
    /// </summary>
    ValueTask<int> WaitForDataAsync(CancellationToken cancellationToken);
}
