using System.Net;
using Marcel.Core.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marcel.Core.Hosting;

/// <summary>
/// Kestrel as a raw TCP server: listens on the given endpoints and hands every accepted connection to one delegate.
/// Kestrel gives us the socket transport, pooled buffers, connection accounting and a phased shutdown.
/// </summary>
public sealed class LineServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<ListenOptions> _listeners;

    private readonly ConnectionGate _gate;

    private LineServerHost(WebApplication app, List<ListenOptions> listeners, ConnectionGate gate)
    {
        _app = app;
        _listeners = listeners;
        _gate = gate;
    }

    /// <summary>Connections being served now (the ones turned away as "busy" are not counted once closed).</summary>
    public int ConnectionCount => _gate.Count;

    /// <summary>The connection limit in force: <see cref="ServerLimits.MaxConnections"/> or less if file descriptors are short.</summary>
    public int MaxConnections => _gate.MaxConnections;

    /// <summary>The endpoints really bound (port 0 replaced by the port the system chose).</summary>
    public IReadOnlyList<IPEndPoint> BoundEndPoints => _listeners.Select(l => l.IPEndPoint!).ToArray();

    /// <summary>
    /// Binds <paramref name="host"/>:<paramref name="port"/> and starts accepting. <paramref name="onConnection"/> runs once per
    /// connection; the connection lives until its task ends. Throws <see cref="ServerBindException"/> when it cannot listen.
    /// Past <paramref name="limits"/>' connection count (default <see cref="ServerLimits"/>), newcomers get a "busy" line and are closed.
    /// </summary>
    public static async Task<LineServerHost> StartAsync(
        string host,
        int port,
        Func<ConnectionContext, Task> onConnection,
        ILoggerFactory loggerFactory,
        Action<ListenOptions>? configureListener = null,
        ServerLimits? limits = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onConnection);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        IReadOnlyList<IPEndPoint> endpoints = await ListenAddress.ResolveToBindAsync(host, port, cancellationToken);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ApplicationName = "marcel" });
        builder.Logging.ClearProviders();
        // One logger factory for the host and the handlers, owned by the caller.
        builder.Services.Replace(ServiceDescriptor.Singleton(loggerFactory));
        // Our own signal handling decides how to shut down; the host must not also react to Ctrl-C.
        builder.Services.AddSingleton<IHostLifetime, QuietHostLifetime>();
        limits ??= new ServerLimits();
        ConnectionGate gate = ConnectionGate.Create(limits, loggerFactory.CreateLogger<LineServerHost>());
        TcpKeepAlive? keepAlive = limits.KeepAlive;
        // Past our limit Kestrel still hands us a few connections, to say "busy" to; past those the accept loop waits.
        builder.Services.Replace(ServiceDescriptor.Singleton<IConnectionListenerFactory>(services => new ThrottledListenerFactory(
            new SocketTransportFactory(services.GetRequiredService<IOptions<SocketTransportOptions>>(), loggerFactory),
            gate.MaxSockets)));
        builder.Services.Configure<SocketTransportOptions>(o => o.CreateBoundListenSocket = e => e is IPEndPoint ip ? SocketPlatform.CreateBoundListener(ip) : SocketTransportOptions.CreateDefaultBoundListenSocket(e));
        var listeners = new List<ListenOptions>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            foreach (IPEndPoint endpoint in endpoints)
            {
                kestrel.Listen(endpoint, listener =>
                {
                    if (keepAlive is not null)
                    {
                        // First in the chain, so a peer that vanishes during a TLS handshake is covered too.
                        listener.Use(next => connection =>
                        {
                            keepAlive.Apply(connection);
                            return next(connection);
                        });
                    }

                    configureListener?.Invoke(listener);
                    listener.Run(connection => gate.RunAsync(connection, onConnection));
                    listeners.Add(listener);
                });
            }
        });
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(2));

        WebApplication app = builder.Build();
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException)
        {
            await app.DisposeAsync();
            throw ServerBindException.For(host, port, e);
        }

        return new LineServerHost(app, listeners, gate);
    }

    /// <summary>Stops accepting, waits (up to the shutdown timeout) for connections to end, then aborts the rest.</summary>
    public Task StopAsync() => _app.StopAsync();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
