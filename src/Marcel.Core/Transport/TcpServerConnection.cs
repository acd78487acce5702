using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Marcel.Core.Security;

namespace Marcel.Core.Transport;

/// <summary>
/// One accepted socket as <see cref="IServerConnection"/>: its transport is a pair of stream pipes over the socket's
/// stream (an <see cref="EagerNetworkStream"/>, or the <see cref="SslStream"/> over it once <see cref="UseTls"/> has
/// swapped it in). The reader issues zero-byte reads, so it rents a buffer only once data has arrived; the writer rents
/// one only while a write is in progress; both are made on first use.
/// </summary>
internal sealed class TcpServerConnection : IServerConnection, IAsyncDisposable
{
    private static readonly StreamPipeReaderOptions ReaderOptions = new(
        pool: MemoryPool<byte>.Shared, bufferSize: 4096, minimumReadSize: 1024, leaveOpen: true, useZeroByteReads: true);

    private static readonly StreamPipeWriterOptions WriterOptions = new(pool: MemoryPool<byte>.Shared, minimumBufferSize: 4096, leaveOpen: true);

    private static long s_lastId;

    private readonly StreamPipes _pipes;
    private Stream _stream;
    private string? _id;
    private CancellationTokenSource? _closedSource;
    private int _closed;

    /// <summary>Wraps an accepted <paramref name="socket"/> (owned from now on).</summary>
    public TcpServerConnection(Socket socket)
    {
        Socket = socket;
        _stream = new EagerNetworkStream(socket);
        _pipes = new StreamPipes(this);
    }

    /// <summary>The accepted socket (for its options; bytes go through <see cref="Transport"/>).</summary>
    public Socket Socket { get; }

    /// <summary>The stream the pipes read and write: the socket's, or TLS over it.</summary>
    public Stream Stream => _stream;

    /// <inheritdoc />
    public string ConnectionId => _id ??= Interlocked.Increment(ref s_lastId).ToString(CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public IDuplexPipe Transport => _pipes;

    /// <inheritdoc />
    public EndPoint? RemoteEndPoint => Socket.RemoteEndPoint;

    /// <inheritdoc />
    public EndPoint? LocalEndPoint => Socket.LocalEndPoint;

    /// <inheritdoc />
    public CancellationToken ConnectionClosed
    {
        get
        {
            if (Volatile.Read(ref _closed) != 0)
            {
                return new CancellationToken(canceled: true);
            }

            // Made on first use: most connections are never asked for it.
            CancellationTokenSource source = Volatile.Read(ref _closedSource)
                ?? Interlocked.CompareExchange(ref _closedSource, new CancellationTokenSource(), null)
                ?? _closedSource;
            if (Volatile.Read(ref _closed) != 0)
            {
                FireClosed(); // Closed while we made it.
            }

            return source.Token;
        }
    }

    /// <summary>Puts TLS (a completed server handshake over <see cref="Stream"/>) in front of the handler; before any pipe use.</summary>
    public void UseTls(SslStream tls) => _stream = tls;

    /// <inheritdoc />
    public void Abort()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            ShutDown();
            _stream.Dispose();
            FireClosed();
        }
    }

    /// <inheritdoc />
    public ValueTask<int> WaitForDataAsync(CancellationToken cancellationToken) =>
        _stream.ReadAsync(Memory<byte>.Empty, cancellationToken); // NetworkStream and SslStream both wait without a buffer.

    /// <summary>Sends what is still buffered, says close_notify over TLS, then closes the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _pipes.CompleteOutputAsync(); // Sends what is still buffered.
        }
        catch (Exception e) when (e is IOException or SocketException or InvalidOperationException)
        {
            // The peer is gone, or the connection was aborted under a write in progress: nothing more can be sent.
        }

        await _pipes.CompleteInputAsync();
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            if (_stream is SslStream tls)
            {
                await TlsGoodbye.SayAsync(tls);
            }

            ShutDown();
            await _stream.DisposeAsync();
            FireClosed();
        }
    }

    private void FireClosed()
    {
        if (Volatile.Read(ref _closedSource) is { IsCancellationRequested: false } source)
        {
            // Off this thread: the handler's callbacks must not run inside Abort or under the host's close.
            ThreadPool.UnsafeQueueUserWorkItem(static s => s.Cancel(), source, preferLocal: false);
        }
    }

    private void ShutDown()
    {
        try
        {
            Socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already reset or closed by the peer.
        }
    }

    /// <summary>
    /// The pipes over the stream, each made on first use: a member who only listens never reads, and never holds a
    /// reader (~200 bytes with its segment pool).
    /// </summary>
    private sealed class StreamPipes(TcpServerConnection connection) : IDuplexPipe
    {
        private PipeReader? _input;
        private PipeWriter? _output;

        public PipeReader Input => _input ??= PipeReader.Create(connection._stream, ReaderOptions);

        public PipeWriter Output => _output ??= PipeWriter.Create(connection._stream, WriterOptions);

        public ValueTask CompleteInputAsync() => _input?.CompleteAsync() ?? ValueTask.CompletedTask;

        public ValueTask CompleteOutputAsync() => _output?.CompleteAsync() ?? ValueTask.CompletedTask;
    }
}
