using System.Globalization;
using System.Net;
using System.Text;
using Marcel.Web.Resources;
using Marcel.Web.Transport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Marcel.Web;

/// <summary>
/// Every HTTP request the browser room answers: the page at <c>/</c> (and its script and style), the WebSocket at
/// <c>/ws</c>, 404 for anything else. One terminal delegate, no routing or MVC: nothing here needs reflection.
/// </summary>
internal sealed class WebRequests
{
    // The page loads its own script and style and talks to its own origin; nothing inline runs, nothing frames it.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private readonly WebRoomOptions _options;
    private readonly PageAssets _assets;
    private readonly OriginPolicy _policy;
    private readonly ILogger _logger;

    public WebRequests(WebRoomOptions options, PageAssets assets, OriginPolicy policy, ILogger logger)
    {
        _options = options;
        _assets = assets;
        _policy = policy;
        _logger = logger;
    }

    public Task HandleAsync(HttpContext context)
    {
        HttpResponse response = context.Response;
        HttpRequest request = context.Request;
        string host = request.Headers.Host.ToString();
        if (!_policy.AcceptsHost(host))
        {
            WebLog.HostRefused(_logger, context.Connection.RemoteIpAddress, host);
            return TextAsync(context, StatusCodes.Status403Forbidden, Text(context, nameof(WebStrings.ForbiddenHost)));
        }

        string path = request.Path.Value ?? "/";
        if (path == "/ws")
        {
            return SocketAsync(context);
        }

        (byte[] Body, string Type)? file = path switch
        {
            "/" or "/index.html" => (_assets.Page(LanguageOf(request)), "text/html; charset=utf-8"),
            "/app.js" => (_assets.Script, "text/javascript; charset=utf-8"),
            "/app.css" => (_assets.Style, "text/css; charset=utf-8"),
            _ => null,
        };
        if (file is not { } found)
        {
            return TextAsync(context, StatusCodes.Status404NotFound, Text(context, nameof(WebStrings.NotFound)));
        }

        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            response.Headers.Allow = "GET, HEAD";
            return TextAsync(context, StatusCodes.Status405MethodNotAllowed, string.Empty);
        }

        response.Headers.Vary = "Accept-Language";
        return WriteAsync(context, StatusCodes.Status200OK, found.Type, found.Body);
    }

    private async Task SocketAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.Headers.Upgrade = "websocket";
            await TextAsync(context, StatusCodes.Status426UpgradeRequired, string.Empty);
            return;
        }

        string? origin = context.Request.Headers.Origin is { Count: > 0 } given ? given.ToString() : null;
        if (!_policy.AcceptsOrigin(origin, context.Request.Scheme, context.Request.Headers.Host.ToString()))
        {
            WebLog.OriginRefused(_logger, context.Connection.RemoteIpAddress, origin ?? string.Empty);
            await TextAsync(context, StatusCodes.Status403Forbidden, Text(context, nameof(WebStrings.ForbiddenOrigin)));
            return;
        }

        // The connection leaves Kestrel here: the 101 goes out on it, Kestrel sees it end once this handler returns
        // (and keeps nothing of it), and the WebSocket runs on the connection itself (see BrowserConnections).
        var remote = context.Connection.RemoteIpAddress is { } address ? new IPEndPoint(address, context.Connection.RemotePort) : null;
        if (context.Features.Get<HandOffConnection>() is not { } connection)
        {
            throw new InvalidOperationException("The browser room's requests come through its own transport.");
        }

        try
        {
            await connection.DetachAsync(WebSocketHandshake.SwitchingProtocols(context.Request.Headers.SecWebSocketKey.ToString()));
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The peer left before its 101 was sent: the host closes the connection.
            WebLog.SocketFailed(_logger, remote, e);
        }
    }

    private CultureInfo LanguageOf(HttpRequest request)
    {
        if (_options.Language is { } fixedLanguage)
        {
            return fixedLanguage;
        }

        var accepted = request.GetTypedHeaders().AcceptLanguage
            .Select(l => (l.Value.ToString(), l.Quality ?? 1.0));
        return PageAssets.Negotiate(accepted) ?? _options.FallbackLanguage;
    }

    private string Text(HttpContext context, string name) =>
        WebStrings.ResourceManager.GetString(name, LanguageOf(context.Request)) ?? name;

    private static Task TextAsync(HttpContext context, int status, string text) =>
        WriteAsync(context, status, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(text.Length == 0 ? text : text + "\n"));

    /// <summary>
    /// Every response but a WebSocket's 101 (written by <see cref="HandOffConnection.DetachAsync"/>) goes through here and
    /// carries the security headers: a 101 has no document to protect.
    /// </summary>
    private static Task WriteAsync(HttpContext context, int status, string type, byte[] body)
    {
        HttpResponse response = context.Response;
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.XFrameOptions = "DENY";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers["Cross-Origin-Resource-Policy"] = "same-origin";
        response.Headers.CacheControl = "no-cache";
        response.StatusCode = status;
        response.ContentType = type;
        response.ContentLength = body.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(body).AsTask();
    }
}
