using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Marcel.Core.Hosting;

/// <summary>
/// Kestrel as a raw TCP server: listens on the given endpoints and hands every accepted connection to one delegate.
/// Kestrel gives us the socket transport, pooled buffers, connection accounting and a phased shutdown.
/// </summary>
public sealed class LineServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<ListenOptions> _listeners;

    private LineServerHost(WebApplication app, List<ListenOptions> listeners)
    {
        _app = app;
        _listeners = listeners;
    }

    /// <summary>The endpoints really bound (port 0 replaced by the port the system chose).</summary>
    public IReadOnlyList<IPEndPoint> BoundEndPoints => _listeners.Select(l => l.IPEndPoint!).ToArray();

    /// <summary>
    /// Binds <paramref name="host"/>:<paramref name="port"/> and starts accepting. <paramref name="onConnection"/> runs once per
    /// connection; the connection lives until its task ends. Throws <see cref="ServerBindException"/> when it cannot listen.
    /// <paramref name="configureTransport"/> tunes Kestrel's socket transport (e.g. inline scheduling for a chat room).
    /// </summary>
    public static async Task<LineServerHost> StartAsync(
        string host,
        int port,
        Func<ConnectionContext, Task> onConnection,
        ILoggerFactory loggerFactory,
        Action<ListenOptions>? configureListener = null,
        Action<SocketTransportOptions>? configureTransport = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onConnection);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        string display = host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]:{port}" : $"{host}:{port}";

        IReadOnlyList<IPEndPoint> endpoints;
        try
        {
            endpoints = await ListenAddress.ResolveAsync(host, port, cancellationToken);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new ServerBindException(display, BindFailure.UnknownHost, e);
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ApplicationName = "marcel" });
        builder.Logging.ClearProviders();
        // One logger factory for the host and the handlers, owned by the caller.
        builder.Services.Replace(ServiceDescriptor.Singleton(loggerFactory));
        // Our own signal handling decides how to shut down; the host must not also react to Ctrl-C.
        builder.Services.AddSingleton<IHostLifetime, QuietHostLifetime>();
        var listeners = new List<ListenOptions>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            foreach (IPEndPoint endpoint in endpoints)
            {
                kestrel.Listen(endpoint, listener =>
                {
                    configureListener?.Invoke(listener);
                    listener.Run(onConnection);
                    listeners.Add(listener);
                });
            }
        });
        if (configureTransport is not null)
        {
            builder.WebHost.UseSockets(configureTransport);
        }

        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(2));

        WebApplication app = builder.Build();
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException)
        {
            await app.DisposeAsync();
            throw new ServerBindException(display, ServerBindException.Classify(e), e);
        }

        return new LineServerHost(app, listeners);
    }

    /// <summary>Stops accepting, waits (up to the shutdown timeout) for connections to end, then aborts the rest.</summary>
    public Task StopAsync() => _app.StopAsync();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
