using System.Net;
using System.Net.Sockets;
using Marcel.Core.Security;
using Marcel.Core.Transport;
using Microsoft.Extensions.Logging;

namespace Marcel.Core.Hosting;

/// <summary>
/// The TCP server every line server stands on (the dialogue and the chat room), on bare sockets: it binds, accepts,
/// applies the limits, keepalive and TLS, hands each connection to one delegate as an <see cref="IServerConnection"/>,
/// and shuts down in phases (stop listening, wait up to two seconds for the handlers, abort the rest). It speaks no
/// protocol: the "busy" notice comes from <see cref="ServerLimits.BusyNotice"/>. A quiet connection costs little
/// (NativeAOT, 10,000 idle connections: a handler that only waits costs 1.5 KiB of RSS per connection, a chat member
/// 3.4–4.1 KiB measured in bench/chat, where the same on Kestrel cost 3.8 and 6.2 KiB). See <see cref="TcpServerConnection"/>.
/// </summary>
public sealed class TcpServerHost : IAsyncDisposable
{
    // Kestrel's default listen backlog.
    private const int Backlog = 512;

    /// <summary>How long <see cref="StopAsync"/> waits for the handlers before it aborts their connections.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(2);

    private readonly Socket[] _listeners;
    private readonly Func<IServerConnection, Task> _onConnection;
    private readonly ConnectionGate _gate;
    private readonly TcpKeepAlive? _keepAlive;
    private readonly Func<int, ReadOnlyMemory<byte>>? _busyNotice;
    private readonly TlsServerHandshake? _tls;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _freeSockets;
    private readonly CancellationTokenSource _stopping = new();
    private readonly HashSet<TcpServerConnection> _open = [];
    private readonly Task[] _acceptLoops;
    private TaskCompletionSource? _allClosed;
    private int _stopped;

    private TcpServerHost(Socket[] listeners, Func<IServerConnection, Task> onConnection, ConnectionGate gate, ServerLimits limits, TlsServerOptions? tls, ILogger logger)
    {
        _listeners = listeners;
        _onConnection = onConnection;
        _gate = gate;
        _keepAlive = limits.KeepAlive;
        _busyNotice = limits.BusyNotice;
        _tls = tls is null ? null : new TlsServerHandshake(tls);
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
    public static async Task<TcpServerHost> StartAsync(
        string host,
        int port,
        Func<IServerConnection, Task> onConnection,
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
        ILogger logger = loggerFactory.CreateLogger<TcpServerHost>();
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

        return new TcpServerHost([.. listeners], onConnection, gate, limits, tls, logger);
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
            TcpServerConnection[] left;
            lock (_open)
            {
                left = [.. _open];
            }

            HostingLog.AbortingAtShutdown(_logger, left.Length);
            foreach (TcpServerConnection connection in left)
            {
                connection.Abort();
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

    /// <summary>
    /// Test hook: runs after a TLS handshake succeeds, before the host decides whether to serve the connection (a
    /// handshake that finishes while the host stops must not be served).
    /// </summary>
    internal Func<Task>? AfterHandshake { get; set; }

    /// <summary>One connection, from accept to close; never throws (a failure ends that connection only).</summary>
    private async Task ServeAsync(Socket socket)
    {
        // Tracked from accept, so that StopAsync waits for (and can abort) a connection still in its TLS handshake.
        var connection = new TcpServerConnection(socket);
        if (!Track(connection))
        {
            await CloseAsync(connection);
            return;
        }

        try
        {
            socket.NoDelay = true; // A line must not wait for the previous one's acknowledgement.
            // Per accepted socket, before TLS: a peer that vanishes during a handshake is covered too.
            _keepAlive?.Apply(socket);
            if (_tls is not null)
            {
                await _tls.AuthenticateAsync(connection, _stopping.Token);
                if (AfterHandshake is { } hook)
                {
                    await hook();
                }

                if (_stopping.IsCancellationRequested)
                {
                    return; // Finished during StopAsync: the server is no longer serving anyone.
                }
            }

            // The gate's steps inline: one async frame less per quiet connection.
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
                await _gate.RefuseAsync(connection, _busyNotice);
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
            await CloseAsync(connection);
        }
    }

    /// <summary>Counts <paramref name="connection"/> among the open ones; false once StopAsync has taken its count.</summary>
    private bool Track(TcpServerConnection connection)
    {
        lock (_open)
        {
            if (_allClosed is not null)
            {
                return false;
            }

            _open.Add(connection);
            return true;
        }
    }

    private async Task CloseAsync(TcpServerConnection connection)
    {
        try
        {
            await connection.DisposeAsync();
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            connection.Socket.Dispose();
        }
        finally
        {
            lock (_open)
            {
                if (_open.Remove(connection) && _open.Count == 0)
                {
                    _allClosed?.TrySetResult();
                }
            }

            _freeSockets.Release();
        }
    }
}
