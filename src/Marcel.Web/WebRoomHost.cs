using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Marcel.Core.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Marcel.Web;

/// <summary>
/// Kestrel serving the browser room: the page at <c>/</c>, the WebSocket at <c>/ws</c>, on its own port, HTTP/1.1 only
/// (one connection per browser member, no HTTP/2 multiplexing to account for), compression off (CRIME/BREACH).
/// Each accepted WebSocket is handed to one delegate and lives as long as its task.
/// </summary>
public sealed class WebRoomHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<ListenOptions> _listeners;
    private readonly bool _secure;

    private WebRoomHost(WebApplication app, List<ListenOptions> listeners, bool secure)
    {
        _app = app;
        _listeners = listeners;
        _secure = secure;
    }

    /// <summary>The endpoints really bound (port 0 replaced by the port the system chose).</summary>
    public IReadOnlyList<IPEndPoint> BoundEndPoints => _listeners.Select(l => l.IPEndPoint!).ToArray();

    /// <summary>Where a browser finds the page: one address per bound endpoint (<c>http://127.0.0.1:8080/</c>).</summary>
    public IReadOnlyList<Uri> PageUrls => BoundEndPoints.Select(e => PageUrl(e, _secure)).ToArray();

    /// <summary>
    /// Binds and starts serving; <paramref name="onSocket"/> runs once per accepted WebSocket. <paramref name="admits"/>
    /// decides, for each new connection, whether its peer's address may come in at all (the room's <c>--allow</c>/<c>--deny</c>);
    /// a refused one is closed without a word, page or socket. Throws <see cref="ServerBindException"/> when it cannot listen.
    /// </summary>
    public static async Task<WebRoomHost> StartAsync(
        WebRoomOptions options,
        Func<WebSocket, WebPeer, Task> onSocket,
        ILoggerFactory loggerFactory,
        Func<EndPoint?, bool>? admits = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(onSocket);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        options.Validate();
        IReadOnlyList<IPEndPoint> endpoints;
        try
        {
            endpoints = await ListenAddress.ResolveAsync(options.Host, options.Port, cancellationToken);
        }
        catch (SocketException e)
        {
            throw new ServerBindException(ListenAddress.Display(options.Host, options.Port), BindFailure.UnknownHost, e);
        }

        // The empty builder: no configuration sources (ASPNETCORE_URLS and friends cannot move the port), no console lifetime.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = [], ApplicationName = "marcel" });
        builder.WebHost.UseKestrelCore();
        // Continuations run where the socket completes them, not hopped through Kestrel's I/O queues: a frame to a
        // browser member is sent by the room's drain itself, as a TCP member's line is (nothing here blocks a thread).
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
        builder.Services.AddSingleton<IMemoryPoolFactory<byte>, SharedMemoryPoolFactory>();
        builder.Services.AddLogging();
        // Kestrel and hosting log through the app's factory, minus the per-request Activity and scopes (see KestrelLogging).
        builder.Services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(new KestrelLogging(loggerFactory)));
        builder.Services.AddSingleton<IHostLifetime, QuietLifetime>();
        ILogger logger = loggerFactory.CreateLogger<WebRoomHost>();
        var listeners = new List<ListenOptions>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            Limit(kestrel.Limits, options);
            foreach (IPEndPoint endpoint in endpoints)
            {
                kestrel.Listen(endpoint, listener =>
                {
                    listener.Protocols = HttpProtocols.Http1;
                    listener.Use(next => connection => Admit(connection, options, admits) ? next(connection) : Task.CompletedTask);
                    if (options.Tls is { } tls)
                    {
                        listener.UseHttps(tls.Certificate, https => https.HandshakeTimeout = tls.HandshakeTimeout);
                    }

                    listeners.Add(listener);
                });
            }
        });
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(2));

        WebApplication app = builder.Build();
        var requests = new WebRequests(options, new PageAssets(), new OriginPolicy(options.AllowedOrigins, OwnNames(options.Host)), onSocket, logger);
        app.UseWebSockets();
        app.Run(requests.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or SocketException or UnauthorizedAccessException)
        {
            await app.DisposeAsync();
            throw new ServerBindException(ListenAddress.Display(options.Host, options.Port), ServerBindException.Classify(e), e);
        }

        return new WebRoomHost(app, listeners, options.Tls is not null);
    }

    /// <summary>Stops accepting, waits (up to 2 s) for requests and sockets to end, then aborts the rest.</summary>
    public Task StopAsync() => _app.StopAsync();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _app.DisposeAsync();

    /// <summary>The page's address for a bound endpoint; a wildcard address is shown as this machine's name.</summary>
    internal static Uri PageUrl(IPEndPoint endpoint, bool secure)
    {
        string host = endpoint.Address.Equals(IPAddress.Any) || endpoint.Address.Equals(IPAddress.IPv6Any)
            ? Dns.GetHostName()
            : endpoint.Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]" : endpoint.Address.ToString();
        return new Uri($"{(secure ? "https" : "http")}://{host}:{endpoint.Port}/");
    }

    /// <summary>Kestrel's limits, set on purpose: a client that holds its headers open, or sends huge ones, is bounded.</summary>
    private static void Limit(KestrelServerLimits limits, WebRoomOptions options)
    {
        limits.MaxConcurrentConnections = options.MaxConnections;
        limits.MaxRequestHeadersTotalSize = 16 * 1024;
        limits.MaxRequestHeaderCount = 64;
        limits.MaxRequestLineSize = 4 * 1024;
        limits.MaxRequestBodySize = 0;
        limits.RequestHeadersTimeout = options.RequestHeadersTimeout;
        limits.KeepAliveTimeout = TimeSpan.FromSeconds(60);
    }

    /// <summary>Runs first on every connection: the access check (a refused peer is closed without a word), then keepalive.</summary>
    private static bool Admit(ConnectionContext connection, WebRoomOptions options, Func<EndPoint?, bool>? admits)
    {
        if (admits is not null && !admits(connection.RemoteEndPoint))
        {
            return false;
        }

        if (options.KeepAlive is { } keepAlive && connection.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket)
        {
            try
            {
                keepAlive.Apply(socket);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // The peer is already gone: the connection ends on its own.
            }
        }

        return true;
    }

    /// <summary>The names this machine answers to, besides IP literals and localhost: its host name, the same under <c>.local</c> (mDNS), and <c>--host</c>'s name.</summary>
    private static IEnumerable<string> OwnNames(string host)
    {
        string machine = Dns.GetHostName();
        yield return machine;
        if (!machine.Contains('.', StringComparison.Ordinal))
        {
            yield return machine + ".local";
        }

        string trimmed = host.Trim('[', ']');
        if (trimmed != "*" && !IPAddress.TryParse(trimmed, out _))
        {
            yield return trimmed;
        }
    }
}
