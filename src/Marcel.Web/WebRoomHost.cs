using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Marcel.Core.Hosting;
using Marcel.Web.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Marcel.Web;

/// <summary>
/// The browser room's port: the page at <c>/</c> and the WebSocket at <c>/ws</c>, HTTP/1.1 only (one connection per
/// browser member, no HTTP/2 multiplexing to account for), compression off (CRIME/BREACH). Its connections are accepted
/// by a <see cref="TcpServerHost"/> (binding, limits, keepalive, TLS: the same as the TCP room's) and handed to Kestrel,
/// which parses their HTTP (see <see cref="HandOffListener"/>); a valid upgrade at <c>/ws</c> takes its connection back
/// from Kestrel, and the WebSocket runs on the connection's own stream (see <see cref="BrowserConnections"/>). Each
/// accepted WebSocket is handed to one delegate and lives as long as its task.
/// </summary>
public sealed class WebRoomHost : IAsyncDisposable
{
    private readonly TcpServerHost _tcp;
    private readonly HandOffListener _kestrelListener;
    private readonly WebApplication _app;
    private readonly bool _secure;

    private WebRoomHost(TcpServerHost tcp, HandOffListener kestrelListener, WebApplication app, bool secure)
    {
        _tcp = tcp;
        _kestrelListener = kestrelListener;
        _app = app;
        _secure = secure;
    }

    /// <summary>The endpoints really bound (port 0 replaced by the port the system chose).</summary>
    public IReadOnlyList<IPEndPoint> BoundEndPoints => _tcp.BoundEndPoints;

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
        ILogger logger = loggerFactory.CreateLogger<WebRoomHost>();
        bool secure = options.Tls is not null;
        var kestrelListener = new HandOffListener();
        var connections = new BrowserConnections(kestrelListener, onSocket, admits, options.KeepAlive, secure, logger);
        var limits = new ServerLimits
        {
            MaxConnections = Math.Min(options.MaxConnections, ServerLimits.MaxConnectionsCap),
            KeepAlive = options.KeepAlive,
        };
        TcpServerHost tcp = await TcpServerHost.StartAsync(
            options.Host, options.Port, connections.ServeAsync, loggerFactory, options.Tls, limits, cancellationToken);
        WebApplication app = Build(options, kestrelListener, tcp.BoundEndPoints[0], loggerFactory, logger);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await kestrelListener.UnbindAsync(CancellationToken.None);
            await tcp.DisposeAsync();
            await app.DisposeAsync();
            throw;
        }

        return new WebRoomHost(tcp, kestrelListener, app, secure);
    }

    /// <summary>
    /// Stops accepting, then waits (up to 2 s) for page requests and sockets to end, then aborts the rest: Kestrel lets go
    /// of its connections while the host waits for every connection, the detached sockets among them.
    /// </summary>
    public Task StopAsync() => Task.WhenAll(_app.StopAsync(), _tcp.StopAsync());

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _kestrelListener.DisposeAsync();
        await _app.DisposeAsync();
        await _tcp.DisposeAsync();
    }

    /// <summary>Kestrel for HTTP alone: no socket of its own (the <see cref="HandOffListener"/> is its only transport), no configuration sources.</summary>
    private static WebApplication Build(WebRoomOptions options, HandOffListener listener, IPEndPoint endpoint, ILoggerFactory loggerFactory, ILogger logger)
    {
        // The empty builder: no configuration sources (ASPNETCORE_URLS and friends cannot move the port), no console lifetime.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = [], ApplicationName = "marcel" });
        builder.WebHost.UseKestrelCore();
        builder.Services.RemoveAll<IConnectionListenerFactory>();
        builder.Services.AddSingleton<IConnectionListenerFactory>(listener);
        builder.Services.AddLogging();
        // Kestrel and hosting log through the app's factory, minus the per-request Activity and scopes (see KestrelLogging).
        builder.Services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(new KestrelLogging(loggerFactory)));
        builder.Services.AddSingleton<IHostLifetime, QuietLifetime>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            Limit(kestrel.Limits, options);
            // One listen: whatever the host bound, its connections all come through the one listener.
            kestrel.Listen(endpoint, listen => listen.Protocols = HttpProtocols.Http1);
        });
        builder.WebHost.UseShutdownTimeout(TcpServerHost.ShutdownTimeout);

        WebApplication app = builder.Build();
        var requests = new WebRequests(options, new PageAssets(), new OriginPolicy(options.AllowedOrigins, OwnNames(options.Host)), logger);
        app.UseWebSockets();
        app.Run(requests.HandleAsync);
        return app;
    }

    /// <summary>The page's address for a bound endpoint; a wildcard address is shown as this machine's name.</summary>
    internal static Uri PageUrl(IPEndPoint endpoint, bool secure)
    {
        string host = endpoint.Address.Equals(IPAddress.Any) || endpoint.Address.Equals(IPAddress.IPv6Any)
            ? Dns.GetHostName()
            : endpoint.Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]" : endpoint.Address.ToString();
        return new Uri($"{(secure ? "https" : "http")}://{host}:{endpoint.Port}/");
    }

    /// <summary>
    /// Kestrel's limits, set on purpose: a client that holds its headers open, or sends huge ones, is bounded. The number
    /// of connections is the host's (<see cref="WebRoomOptions.MaxConnections"/>), sockets and page loads together.
    /// </summary>
    private static void Limit(KestrelServerLimits limits, WebRoomOptions options)
    {
        limits.MaxRequestHeadersTotalSize = 16 * 1024;
        limits.MaxRequestHeaderCount = 64;
        limits.MaxRequestLineSize = 4 * 1024;
        limits.MaxRequestBodySize = 0;
        limits.RequestHeadersTimeout = options.RequestHeadersTimeout;
        limits.KeepAliveTimeout = TimeSpan.FromSeconds(60);
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
