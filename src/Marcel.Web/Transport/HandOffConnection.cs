using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Marcel.Core.Transport;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace Marcel.Web.Transport;

/// <summary>
/// One of <see cref="Core.Hosting.TcpServerHost"/>'s connections as Kestrel sees it: pipes over the connection's stream
/// (TLS already undone), for as long as Kestrel serves it, or until a request handler takes it for a WebSocket
/// (<see cref="DetachAsync"/>). <see cref="Outcome"/> tells the host which: null when Kestrel let go of it (the host
/// closes it), or the detached socket, which then lives on without Kestrel.
/// </summary>
/// <remarks>
/// Request handlers find it among the request's features (Kestrel's feature collection falls back to the connection's).
/// Over TLS it is also the connection's <see cref="ITlsConnectionFeature"/>, so that Kestrel says <c>https</c>.
/// </remarks>
internal sealed class HandOffConnection : ConnectionContext, IDuplexPipe, ITlsConnectionFeature
{
    private static readonly StreamPipeReaderOptions ReaderOptions = new(
        pool: MemoryPool<byte>.Shared, bufferSize: 4096, minimumReadSize: 1024, leaveOpen: true, useZeroByteReads: true);

    private static readonly StreamPipeWriterOptions WriterOptions = new(pool: MemoryPool<byte>.Shared, minimumBufferSize: 4096, leaveOpen: true);

    private readonly TcpServerConnection _connection;
    private readonly DetachableStream _view;
    private readonly TaskCompletionSource<DetachedSocket?> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _closed = new();
    private IDictionary<object, object?>? _items;

    /// <summary>Kestrel's view of <paramref name="connection"/>; <paramref name="secure"/> when it is TLS.</summary>
    public HandOffConnection(TcpServerConnection connection, bool secure)
    {
        _connection = connection;
        _view = new DetachableStream(connection.Stream);
        Input = PipeReader.Create(_view, ReaderOptions);
        Output = PipeWriter.Create(_view, WriterOptions);
        Transport = this;
        ConnectionId = connection.ConnectionId;
        LocalEndPoint = connection.LocalEndPoint;
        RemoteEndPoint = connection.RemoteEndPoint;
        ConnectionClosed = _closed.Token;
        Features.Set(this);
        if (secure)
        {
            Features.Set<ITlsConnectionFeature>(this);
        }
    }

    /// <summary>Completes when Kestrel let go of the connection (null) or a handler detached it (the socket).</summary>
    public Task<DetachedSocket?> Outcome => _outcome.Task;

    public PipeReader Input { get; }

    public PipeWriter Output { get; }

    public override IDuplexPipe Transport { get; set; }

    public override string ConnectionId { get; set; }

    public override IFeatureCollection Features { get; } = new FeatureCollection();

    public override IDictionary<object, object?> Items
    {
        get => _items ??= new Dictionary<object, object?>();
        set => _items = value;
    }

    /// <summary>No client certificate is asked for.</summary>
    public X509Certificate2? ClientCertificate { get; set; }

    public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult(ClientCertificate);

    /// <summary>
    /// Takes the connection from Kestrel for a WebSocket: sends <paramref name="switchingProtocols"/> (the <c>101</c>) on
    /// the connection itself, and from then on Kestrel reads the end of the stream and writes nowhere, so that it ends
    /// the request and the connection and keeps none of its state. Call it from the request's handler (Kestrel is not
    /// reading then), before the response has started; then return from the handler.
    /// </summary>
    public async Task DetachAsync(ReadOnlyMemory<byte> switchingProtocols)
    {
        _view.Detach();
        DetachedSocket? detached = null;
        try
        {
            byte[]? readAhead = TakeReadAhead();
            await _connection.Stream.WriteAsync(switchingProtocols);
            detached = new DetachedSocket(_connection.Stream, readAhead, _connection.RemoteEndPoint as IPEndPoint);
        }
        finally
        {
            _outcome.TrySetResult(detached); // Null when the 101 could not be sent: the host closes the connection.
        }
    }

    /// <summary>Closes the connection at once, unless a handler took it: Kestrel's timeouts, its shutdown, a handler's abort.</summary>
    public override void Abort(ConnectionAbortedException abortReason)
    {
        if (!_view.IsDetached)
        {
            _connection.Abort();
        }

        // Off this thread, as Kestrel's own transports do: what listens to the token is Kestrel's request processing.
        ThreadPool.UnsafeQueueUserWorkItem(static s => s.Cancel(), _closed, preferLocal: false);
    }

    /// <summary>Never accepted by Kestrel (it stopped listening first): the host closes it.</summary>
    public void Refuse() => _outcome.TrySetResult(null);

    /// <summary>Kestrel is done with the connection: its pipes end, and the host closes it unless a handler took it.</summary>
    public override async ValueTask DisposeAsync()
    {
        try
        {
            await Output.CompleteAsync(); // Sends what Kestrel left unflushed (nothing, once detached).
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The peer is gone or the connection was aborted: nothing more can be sent.
        }

        await Input.CompleteAsync();
        _outcome.TrySetResult(null);
        await base.DisposeAsync();
    }

    /// <summary>
    /// What Kestrel's reader holds past the request it parsed. A client that follows RFC 6455 §4.1 sends nothing before
    /// the 101, but one that sends its first frames at once must not lose them: they go first to the WebSocket.
    /// </summary>
    private byte[]? TakeReadAhead()
    {
        if (!Input.TryRead(out ReadResult result))
        {
            return null;
        }

        byte[]? bytes = result.Buffer.IsEmpty ? null : result.Buffer.ToArray();
        Input.AdvanceTo(result.Buffer.End);
        return bytes;
    }
}
