using System.Globalization;
using System.Net;
using System.Net.Security;
using Marcel.Core.Resources;

namespace Marcel.Core.Fetch;

/// <summary>
/// One <c>marcel fetch</c>: an HttpClient on SocketsHttpHandler set up as curl would be (no automatic redirects,
/// decompression or cookies; proxies and TLS from the options), and the redirect loop, so that each hop gets its own
/// proxy decision and a loop ends with exit 47 instead of the last 3xx.
/// </summary>
internal sealed class FetchSession : IDisposable
{
    private static readonly string DefaultUserAgent = "marcel/" + (typeof(FetchSession).Assembly.GetName().Version ?? new Version(0, 0, 0)).ToString(3);

    private readonly FetchOptions _options;
    private readonly FetchTrace _trace;
    private readonly RoutingProxy _proxy = new();
    private readonly HttpClient _client;
    private volatile bool _certificateRejected;
    private SslPolicyErrors _certificateErrors;

    public FetchSession(FetchOptions options, FetchTrace trace)
    {
        _options = options;
        _trace = trace;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = options.Compressed ? DecompressionMethods.All : DecompressionMethods.None,
            UseCookies = false,
            UseProxy = true,
            Proxy = _proxy,
            ConnectTimeout = options.ConnectTimeout,
        };
        handler.SslOptions.RemoteCertificateValidationCallback = ValidateCertificate;
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The URL of the last request sent (the final one after redirects).</summary>
    public Uri CurrentUrl { get; private set; } = null!;

    /// <summary>The proxy of the last request sent, or null when it went directly.</summary>
    public ProxyRoute? CurrentRoute { get; private set; }

    public bool CertificateRejected => _certificateRejected;

    public long ConnectTimeoutMs => (long)_options.ConnectTimeout.TotalMilliseconds;

    public SslPolicyErrors CertificateErrors => _certificateErrors;

    /// <summary>Sends the request, following redirects when asked; returns once the final head has arrived.</summary>
    public async Task<HttpResponseMessage> SendAsync(CancellationToken cancellationToken)
    {
        Uri url = _options.Url;
        for (int redirects = 0; ; redirects++)
        {
            HttpResponseMessage response = await SendOneAsync(url, cancellationToken);
            Uri? next = _options.FollowRedirects ? RedirectTarget(response, url) : null;
            if (next is null)
            {
                return response;
            }

            response.Dispose();
            if (_options.MaxRedirects >= 0 && redirects >= _options.MaxRedirects)
            {
                throw new FetchException(FetchExitCodes.TooManyRedirects, Format(FetchStrings.TooManyRedirects, _options.MaxRedirects));
            }

            _trace.Info(Format(FetchStrings.TraceRedirect, next));
            url = next;
        }
    }

    public void Dispose() => _client.Dispose();

    private async Task<HttpResponseMessage> SendOneAsync(Uri url, CancellationToken cancellationToken)
    {
        CurrentUrl = url;
        CurrentRoute = ProxyResolver.Resolve(url, _options);
        _proxy.Use(url, CurrentRoute);
        if (_trace.Enabled)
        {
            // Only with --verbose: formatting it would load the library's resources on every quiet fetch (start-up time).
            _trace.Info(CurrentRoute is null
                ? Format(FetchStrings.TraceDirect, url.Authority)
                : Format(FetchStrings.TraceProxy, CurrentRoute.Address.Authority, CurrentRoute.Source, url.Authority));
        }

        // The body goes with the first request only: curl turns a POST into a GET on a 301, 302 or 303 it follows.
        bool first = url == _options.Url;
        using var request = new HttpRequestMessage(Method(first), url)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        if (first && _options.Body is { } body)
        {
            request.Content = new ReadOnlyMemoryContent(body);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");
        }

        RequestHeaders.Apply(request, RequestHeaders.Merge(_options, _options.UserAgent ?? DefaultUserAgent, !SameOrigin(url, _options.Url)));
        if (_options.ResumeFrom > 0 && !_options.HeadOnly && request.Headers.Range is null)
        {
            // On every hop, as curl: the redirect's target is the file being resumed.
            request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(_options.ResumeFrom, null);
        }

        if (CurrentRoute is { Credentials: { } credentials } && CurrentRoute.Address.Scheme == "http" && url.Scheme == "http"
            && !request.Headers.Contains("Proxy-Authorization"))
        {
            // Basic is sent at once, as curl and the chapter do, instead of waiting for the proxy's 407.
            request.Headers.TryAddWithoutValidation("Proxy-Authorization", RequestHeaders.Basic(credentials));
        }

        _trace.Request(request, CurrentRoute);
        HttpResponseMessage response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        _trace.Response(response);
        return response;
    }

    private HttpMethod Method(bool first) =>
        _options.Method is { } method ? new HttpMethod(method)
        : _options.HeadOnly ? HttpMethod.Head
        : first && _options.Body is not null ? HttpMethod.Post
        : HttpMethod.Get;

    private static Uri? RedirectTarget(HttpResponseMessage response, Uri url)
    {
        int status = (int)response.StatusCode;
        if (status is not (301 or 302 or 303 or 307 or 308) || response.Headers.Location is not { } location)
        {
            return null;
        }

        Uri next = location.IsAbsoluteUri ? location : new Uri(url, location);
        if (next.Scheme is not ("http" or "https"))
        {
            throw new FetchException(FetchExitCodes.UnsupportedProtocol, Format(FetchStrings.RedirectSchemeUnsupported, next));
        }

        return next;
    }

    private static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && a.Port == b.Port && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase);

    private bool ValidateCertificate(object sender, System.Security.Cryptography.X509Certificates.X509Certificate? certificate, System.Security.Cryptography.X509Certificates.X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None || _options.Insecure)
        {
            return true;
        }

        _certificateErrors = errors;
        _certificateRejected = true;
        return false;
    }

    private static string Format(string format, params object?[] args) => string.Format(CultureInfo.CurrentCulture, format, args);
}
