using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Marcel.Core.Security;
using Marcel.Core.Transport;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Marcel.Core.Hosting;

/// <summary>
/// A TCP server on bare sockets for handlers that hold thousands of quiet connections: the chat room. It hands each
/// connection to the same kind of delegate as <see cref="LineServerHost"/> (a <see cref="ConnectionContext"/> whose
/// transport is a pair of pipes), with the same limits, keepalive, TLS and two-second shutdown, but a quiet connection
/// costs far less. Measured (NativeAOT, 10,000 idle connections): a handler that only waits costs 1.5 KiB of RSS per
/// connection here and 3.8 KiB under Kestrel, even over a Kestrel transport that holds no buffer; a chat member costs
/// 3.1 KiB here and 6.2 KiB under Kestrel. See <see cref="StreamSocketConnection"/> and <see cref="IConnectionReadinessFeature"/>.
/// </summary>
public sealed class SocketServerHost : IAsyncDisposable
{
    // Kestrel's default listen backlog.
    private const int Backlog = 512;

    // As long as Kestrel's shutdown timeout in LineServerHost.
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(2);

    private readonly Socket[] _listeners;
    private readonly Func<ConnectionContext, Task> _onConnection;
    private readonly ConnectionGate _gate;
    private readonly TcpKeepAlive? _keepAlive;
    private readonly TimeSpan _handshakeTimeout;
    private readonly SslServerAuthenticationOptions? _sslOptions;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _freeSockets;
    private readonly CancellationTokenSource _stopping = new();
    private readonly HashSet<StreamSocketConnection> _open = [];
    private readonly Task[] _acceptLoops;
    private TaskCompletionSource? _allClosed;
    private int _stopped;

    private SocketServerHost(Socket[] listeners, Func<ConnectionContext, Task> onConnection, ConnectionGate gate, ServerLimits limits, TlsServerOptions? tls, ILogger logger)
    {
        _listeners = listeners;
        _onConnection = onConnection;
        _gate = gate;
        _keepAlive = limits.KeepAlive;
        _handshakeTimeout = tls?.HandshakeTimeout ?? TimeSpan.Zero;
        _sslOptions = tls is null ? null : new SslServerAuthenticationOptions
        {
            // Built once: every handshake shares the certificate and its chain.
            ServerCertificateContext = SslStreamCertificateContext.Create(tls.Certificate, additionalCertificates: null),
            ClientCertificateRequired = false,
        };
        _logger = logger;
        // Past the gate's limit a few sockets are still accepted, to say "busy" to; past those the kernel's backlog waits,
        // so a burst of strangers cannot exhaust file descriptors (.NET aborts the process when it cannot get one).
        _freeSockets = new SemaphoreSlim(gate.MaxSockets, gate.MaxSockets);
        _acceptLoops = listeners.Select(AcceptLoopAsync).ToArray();
    }

    /// <summary>Connections being served now (the ones turned away as "busy" are not counted).</summary>
    public int ConnectionCount => _gate.Count;

    /// <summary>The connection limit in force: <see cref="ServerLimits.MaxConnections"/> or less if file descriptors are short.</summary>
    public int MaxConnections => _gate.MaxConnections;

    /// <summary>The endpoints really bound (port 0 replaced by the port the system chose).</summary>
    public IReadOnlyList<IPEndPoint> BoundEndPoints => _listeners.Select(l => (IPEndPoint)l.LocalEndPoint!).ToArray();

    /// <summary>
    /// Binds <paramref name="host"/>:<paramref name="port"/> and starts accepting; <paramref name="onConnection"/> runs once
    /// per connection, which lives until its task ends. With <paramref name="tls"/>, the handler sees the decrypted
    /// bytes. Throws <see cref="ServerBindException"/> when it cannot listen.
    /// </summary>
    public static async Task<SocketServerHost> StartAsync(
        string host,
        int port,
        Func<ConnectionContext, Task> onConnection,
        ILoggerFactory loggerFactory,
        TlsServerOptions? tls = null,
        ServerLimits? limits = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onConnection);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        tls?.Validate();
        IReadOnlyList<IPEndPoint> endpoints = await ListenAddress.ResolveToBindAsync(host, port, cancellationToken);
        limits ??= new ServerLimits();
        ILogger logger = loggerFactory.CreateLogger<SocketServerHost>();
        ConnectionGate gate = ConnectionGate.Create(limits, logger);

        var listeners = new List<Socket>();
        try
        {
            foreach (IPEndPoint endpoint in endpoints)
            {
                Socket listener = SocketPlatform.CreateBoundListener(endpoint);
                listeners.Add(listener);
                listener.Listen(Backlog);
            }
        }
        catch (Exception e) when (e is SocketException or UnauthorizedAccessException)
        {
            listeners.ForEach(l => l.Dispose());
            throw ServerBindException.For(host, port, e);
        }

        return new SocketServerHost([.. listeners], onConnection, gate, limits, tls, logger);
    }

    /// <summary>
    /// Stops accepting, waits (up to two seconds) for the handlers to end, then aborts the connections still open.
    /// </summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        foreach (Socket listener in _listeners)
        {
            listener.Dispose();
        }

        await Task.WhenAll(_acceptLoops);
        Task allClosed;
        lock (_open)
        {
            _allClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_open.Count == 0)
            {
                _allClosed.TrySetResult();
            }

            allClosed = _allClosed.Task;
        }

        if (await Task.WhenAny(allClosed, Task.Delay(ShutdownTimeout)) != allClosed)
        {
            StreamSocketConnection[] left;
            lock (_open)
            {
                left = [.. _open];
            }

            HostingLog.AbortingAtShutdown(_logger, left.Length);
            foreach (StreamSocketConnection connection in left)
            {
                connection.Abort(new ConnectionAbortedException("The server is shutting down."));
            }

            await allClosed.WaitAsync(ShutdownTimeout).ContinueWith(static _ => { }, TaskScheduler.Default);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        CancellationToken stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                await _freeSockets.WaitAsync(stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                accepted = await listener.AcceptAsync(stopping);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException || stopping.IsCancellationRequested)
            {
                _freeSockets.Release();
                return;
            }
            catch (SocketException e)
            {
                // A peer that reset while queued, or no descriptor left for a moment: the next accept may do.
                _freeSockets.Release();
                HostingLog.AcceptFailed(_logger, e.SocketErrorCode);
                if (e.SocketErrorCode == SocketError.TooManyOpenSockets)
                {
                    await PauseAsync(stopping); // Out of descriptors (some other part of the process holds them): do not spin.
                }

                continue;
            }

            _ = ServeAsync(accepted);
        }
    }

    private static async Task PauseAsync(CancellationToken stopping)
    {
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), stopping);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the loop ends at its next check.
        }
    }

    /// <summary>One connection, from accept to close; never throws (a failure ends that connection only).</summary>
    private async Task ServeAsync(Socket socket)
    {
        StreamSocketConnection? connection = null;
        try
        {
            socket.NoDelay = true; // A line must not wait for the previous one's acknowledgement.
            _keepAlive?.Apply(socket);
            Stream stream = new EagerNetworkStream(socket);
            if (_sslOptions is not null)
            {
                stream = await HandshakeAsync(stream);
            }

            connection = new StreamSocketConnection(socket, stream);
            lock (_open)
            {
                _open.Add(connection);
            }

            // The gate's steps inline rather than ConnectionGate.RunAsync: one async frame less per quiet connection.
            if (_gate.TryEnter())
            {
                try
                {
                    await _onConnection(connection);
                }
                finally
                {
                    _gate.Leave();
                }
            }
            else
            {
                await _gate.RefuseAsync(connection);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
        {
            HostingLog.ConnectionFailed(_logger, e);
        }
        catch (Exception e)
        {
            // A handler bug must not take the server down with it: log it, close this connection, serve the others.
            HostingLog.HandlerFailed(_logger, e);
        }
        finally
        {
            await CloseAsync(socket, connection);
        }
    }

    private async Task<Stream> HandshakeAsync(Stream stream)
    {
        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        deadline.CancelAfter(_handshakeTimeout);
        try
        {
            await ssl.AuthenticateAsServerAsync(_sslOptions!, deadline.Token);
            return ssl;
        }
        catch
        {
            await ssl.DisposeAsync();
            throw;
        }
    }

    private async Task CloseAsync(Socket socket, StreamSocketConnection? connection)
    {
        try
        {
            if (connection is null)
            {
                socket.Dispose();
                return;
            }

            await connection.DisposeAsync();
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            socket.Dispose();
        }
        finally
        {
            if (connection is not null)
            {
                lock (_open)
                {
                    if (_open.Remove(connection) && _open.Count == 0)
                    {
                        _allClosed?.TrySetResult();
                    }
                }
            }

            _freeSockets.Release();
        }
    }
}
