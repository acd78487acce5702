using System.Globalization;
using System.Net;
using Marcel.Core.Resources;

namespace Marcel.Core.Fetch;

/// <summary>
/// Chooses the proxy for a URL with curl's precedence (lib/url.c): the no-proxy list (<c>--noproxy</c>, else
/// <c>no_proxy</c>/<c>NO_PROXY</c>) wins over everything; then <c>--proxy</c> (an empty one means none and hides
/// the environment); then <c>&lt;scheme&gt;_proxy</c> (for http only the lower-case <c>http_proxy</c>, as curl,
/// because CGI servers put a client's <c>Proxy:</c> header in <c>HTTP_PROXY</c>); then <c>all_proxy</c>/<c>ALL_PROXY</c>.
/// </summary>
internal static class ProxyResolver
{
    /// <summary>curl's port for a proxy URL without one.</summary>
    public const int DefaultProxyPort = 1080;

    private static readonly string[] SupportedSchemes = ["http", "socks4", "socks4a", "socks5", "socks5h"];

    /// <summary>The proxy for <paramref name="target"/>, or null to connect directly.</summary>
    /// <exception cref="FetchException">A proxy setting is not a proxy URL we can use (exit 7, as curl).</exception>
    public static ProxyRoute? Resolve(Uri target, FetchOptions options)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        Func<string, string?> env = options.Environment;
        string? noProxy = options.NoProxy ?? NonEmpty(env("no_proxy")) ?? NonEmpty(env("NO_PROXY"));
        if (NoProxyList.Matches(target.IdnHost, noProxy))
        {
            return null;
        }

        (string? setting, string source) = options.Proxy is not null ? (options.Proxy, "--proxy") : FromEnvironment(target, env);
        if (string.IsNullOrWhiteSpace(setting))
        {
            return null;
        }

        ProxyRoute route = Parse(setting, source);
        return options.ProxyCredentials is null ? route : route with { Credentials = options.ProxyCredentials };
    }

    /// <summary>Parses <c>[scheme://][user[:password]@]host[:port]</c>; the scheme defaults to http, the port to 1080.</summary>
    /// <exception cref="FetchException">Not a usable proxy URL.</exception>
    public static ProxyRoute Parse(string setting, string source)
    {
        ArgumentNullException.ThrowIfNull(setting);
        string text = setting.Trim();
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = "http://" + text;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? parsed) || parsed.Host.Length == 0)
        {
            throw new FetchException(FetchExitCodes.CannotConnect, Format(FetchStrings.ProxyInvalid, Redact(setting), source));
        }

        string scheme = parsed.Scheme.ToLowerInvariant();
        if (!SupportedSchemes.Contains(scheme))
        {
            throw new FetchException(FetchExitCodes.CannotConnect, Format(FetchStrings.ProxySchemeUnsupported, scheme, source));
        }

        // .NET's SOCKS5 already lets the proxy resolve names, which is what socks5h asks for.
        string netScheme = scheme == "socks5h" ? "socks5" : scheme;
        int port = HasExplicitPort(text) ? parsed.Port : DefaultProxyPort;

        var address = new UriBuilder(netScheme, parsed.Host, port).Uri;
        return new ProxyRoute(address, Credentials(parsed), source);
    }

    private static (string? Setting, string Source) FromEnvironment(Uri target, Func<string, string?> env)
    {
        string scheme = target.Scheme.ToLowerInvariant();
        string lower = scheme + "_proxy";
        if (NonEmpty(env(lower)) is { } own)
        {
            return (own, lower);
        }

        string upper = lower.ToUpperInvariant();
        if (scheme != "http" && NonEmpty(env(upper)) is { } ownUpper)
        {
            return (ownUpper, upper);
        }

        if (NonEmpty(env("all_proxy")) is { } all)
        {
            return (all, "all_proxy");
        }

        return (NonEmpty(env("ALL_PROXY")), "ALL_PROXY");
    }

    private static bool HasExplicitPort(string text)
    {
        // Uri reports the scheme's default port (80) when none was written; curl's default for proxies is 1080.
        string authority = text[(text.IndexOf("://", StringComparison.Ordinal) + 3)..];
        int end = authority.IndexOfAny(['/', '?', '#']);
        if (end >= 0)
        {
            authority = authority[..end];
        }

        authority = authority[(authority.LastIndexOf('@') + 1)..];
        int close = authority.LastIndexOf(']');
        return authority.IndexOf(':', close + 1) >= 0;
    }

    private static NetworkCredential? Credentials(Uri parsed)
    {
        if (parsed.UserInfo.Length == 0)
        {
            return null;
        }

        string[] parts = parsed.UserInfo.Split(':', 2);
        return new NetworkCredential(Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : string.Empty);
    }

    /// <summary>The setting with any password replaced by stars, for messages.</summary>
    public static string Redact(string setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        int at = setting.LastIndexOf('@');
        if (at < 0)
        {
            return setting;
        }

        int start = setting.IndexOf("://", StringComparison.Ordinal) is int s and >= 0 ? s + 3 : 0;
        return setting[..start] + "*****" + setting[at..];
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static string Format(string format, params object[] args) => string.Format(CultureInfo.CurrentCulture, format, args);
}
