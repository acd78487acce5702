using System.Buffers;
using System.Collections;
using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Marcel.Core.Hosting;

/// <summary>
/// One accepted socket as a connection handler sees it: <see cref="ConnectionContext.Transport"/> is a pair of stream
/// pipes over the socket's stream (a <see cref="NetworkStream"/>, or the <see cref="System.Net.Security.SslStream"/>
/// over it). The reader issues zero-byte reads, so it rents a buffer only once data has arrived; the writer rents one
/// only while a write is in progress. Like Kestrel's own connections, it is its own feature collection, so the
/// features every connection has cost no dictionary.
/// </summary>
internal sealed class StreamSocketConnection : ConnectionContext, IFeatureCollection, IConnectionSocketFeature, IConnectionReadinessFeature
{
    private static readonly StreamPipeReaderOptions ReaderOptions = new(
        pool: MemoryPool<byte>.Shared, bufferSize: 4096, minimumReadSize: 1024, leaveOpen: true, useZeroByteReads: true);

    private static readonly StreamPipeWriterOptions WriterOptions = new(pool: MemoryPool<byte>.Shared, minimumBufferSize: 4096, leaveOpen: true);

    private static long s_lastId;

    private readonly Stream _stream;
    private readonly StreamPipes _pipes;
    private string? _id;
    private IDictionary<object, object?>? _items;
    private FeatureCollection? _otherFeatures;
    private int _closed;

    /// <summary>Wraps <paramref name="socket"/>, whose bytes travel through <paramref name="stream"/> (which owns the socket).</summary>
    public StreamSocketConnection(Socket socket, Stream stream)
    {
        Socket = socket;
        _stream = stream;
        _pipes = new StreamPipes(stream);
        Transport = _pipes;
    }

    public Socket Socket { get; }

    /// <summary>True when the bytes travel through TLS.</summary>
    public bool IsTls => _stream is System.Net.Security.SslStream;

    public override string ConnectionId
    {
        get => _id ??= Interlocked.Increment(ref s_lastId).ToString(CultureInfo.InvariantCulture);
        set => _id = value;
    }

    public override IFeatureCollection Features => this;

    public override IDictionary<object, object?> Items
    {
        get => _items ??= new ConnectionItems();
        set => _items = value;
    }

    public override IDuplexPipe Transport { get; set; }

    public override EndPoint? LocalEndPoint
    {
        get => Socket.LocalEndPoint;
        set => throw new NotSupportedException();
    }

    public override EndPoint? RemoteEndPoint
    {
        get => Socket.RemoteEndPoint;
        set => throw new NotSupportedException();
    }

    /// <summary>Closes the socket at once: pending reads and writes fail, unsent output is dropped.</summary>
    public override void Abort(ConnectionAbortedException abortReason)
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            ShutDown();
            _stream.Dispose();
        }
    }

    /// <summary>Sends what is still buffered, then closes the socket.</summary>
    public override async ValueTask DisposeAsync()
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
            if (_stream is System.Net.Security.SslStream tls)
            {
                await Security.TlsGoodbye.SayAsync(tls);
            }

            ShutDown();
            await _stream.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    /// <inheritdoc />
    public ValueTask<int> WaitForDataAsync(CancellationToken cancellationToken) =>
        _stream is NetworkStream
            ? Socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, cancellationToken)
            : _stream.ReadAsync(Memory<byte>.Empty, cancellationToken); // SslStream waits without its buffer too.

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

    // IFeatureCollection: the connection answers for its own features; any other goes to a collection made on demand.
    bool IFeatureCollection.IsReadOnly => false;

    int IFeatureCollection.Revision => _otherFeatures?.Revision ?? 0;

    object? IFeatureCollection.this[Type key]
    {
        get => key == typeof(IConnectionSocketFeature) || key == typeof(IConnectionReadinessFeature) ? this : _otherFeatures?[key];
        set => (_otherFeatures ??= new FeatureCollection())[key] = value;
    }

    TFeature? IFeatureCollection.Get<TFeature>() where TFeature : default => (TFeature?)((IFeatureCollection)this)[typeof(TFeature)];

    void IFeatureCollection.Set<TFeature>(TFeature? instance) where TFeature : default => ((IFeatureCollection)this)[typeof(TFeature)] = instance;

    IEnumerator<KeyValuePair<Type, object>> IEnumerable<KeyValuePair<Type, object>>.GetEnumerator()
    {
        yield return new(typeof(IConnectionSocketFeature), this);
        yield return new(typeof(IConnectionReadinessFeature), this);
        foreach (KeyValuePair<Type, object> other in _otherFeatures ?? [])
        {
            yield return other;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<KeyValuePair<Type, object>>)this).GetEnumerator();

    /// <summary>
    /// The pipes over the stream, each made on first use: a member who only listens never reads, and never holds a
    /// reader (~200 bytes with its segment pool).
    /// </summary>
    private sealed class StreamPipes(Stream stream) : IDuplexPipe
    {
        private PipeReader? _input;
        private PipeWriter? _output;

        public PipeReader Input => _input ??= PipeReader.Create(stream, ReaderOptions);

        public PipeWriter Output => _output ??= PipeWriter.Create(stream, WriterOptions);

        public ValueTask CompleteInputAsync() => _input?.CompleteAsync() ?? ValueTask.CompletedTask;

        public ValueTask CompleteOutputAsync() => _output?.CompleteAsync() ?? ValueTask.CompletedTask;
    }
}
