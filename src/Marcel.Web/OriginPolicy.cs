namespace Marcel.Web;

/// <summary>
/// Which requests the browser room answers, by their <c>Host</c> and <c>Origin</c> headers. Pure: no I/O.
/// </summary>
/// <remarks>
/// Two attacks on a server that browsers can reach. Cross-site WebSocket hijacking: a page from another site opens
/// <c>ws://127.0.0.1:8080/ws</c> in a visitor's browser; the browser sends that page's <c>Origin</c> (RFC 6454), which
/// is not ours, so the upgrade is refused. DNS rebinding: a name the attacker controls is made to resolve to this
/// machine, so its page <em>is</em> same-origin; but its <c>Host</c> is the attacker's name, which is none of ours.
/// A client that is not a browser sends no <c>Origin</c> and is let in, as a TCP client would be.
/// </remarks>
internal sealed class OriginPolicy
{
    private readonly HashSet<string> _origins = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly bool _anyOrigin;

    /// <summary>
    /// <paramref name="allowedOrigins"/> (<c>scheme://host[:port]</c>, or <c>*</c>) may open the socket besides the page's own
    /// origin; <paramref name="ownNames"/> are host names this machine answers to, beside IP literals and <c>localhost</c>.
    /// </summary>
    public OriginPolicy(IEnumerable<string> allowedOrigins, IEnumerable<string> ownNames)
    {
        foreach (string origin in allowedOrigins)
        {
            if (origin == "*")
            {
                _anyOrigin = true;
            }
            else if (Normalize(origin) is { } normalized)
            {
                _origins.Add(normalized.Text);
                _hosts.Add(normalized.Host);
            }
        }

        foreach (string name in ownNames)
        {
            if (!string.IsNullOrWhiteSpace(name))
            {
                _hosts.Add(name.TrimEnd('.'));
            }
        }
    }

    /// <summary>True for <c>*</c> or an <c>http</c>/<c>https</c> origin: scheme, host, optional port, nothing else.</summary>
    public static bool IsValidOrigin(string value) => value == "*" || Normalize(value) is not null;

    /// <summary>
    /// True when <paramref name="host"/> (the <c>Host</c> header, <c>name[:port]</c>) names this server: an IP address,
    /// <c>localhost</c> (or a <c>.localhost</c> name, RFC 6761), one of the machine's names, or the host of an allowed origin.
    /// </summary>
    public bool AcceptsHost(string? host)
    {
        if (string.IsNullOrEmpty(host) || !Uri.TryCreate("http://" + host, UriKind.Absolute, out Uri? uri) || uri.PathAndQuery != "/" || uri.UserInfo.Length > 0)
        {
            return false;
        }

        if (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6)
        {
            return true;
        }

        string name = uri.IdnHost.TrimEnd('.');
        return name.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || _hosts.Contains(name);
    }

    /// <summary>
    /// True when a WebSocket upgrade with this <paramref name="origin"/> may proceed: no <c>Origin</c> (not a browser), the
    /// page's own origin (<paramref name="scheme"/>://<paramref name="host"/>), or an allowed one. The opaque origin
    /// <c>null</c> (sandboxed frames, <c>file:</c> pages) is refused unless any origin is allowed.
    /// </summary>
    public bool AcceptsOrigin(string? origin, string scheme, string? host)
    {
        if (origin is null)
        {
            return true;
        }

        if (_anyOrigin)
        {
            return true;
        }

        if (Normalize(origin) is not { } given)
        {
            return false;
        }

        return _origins.Contains(given.Text) || (host is not null && Normalize(scheme + "://" + host) is { } own && own.Text.Equals(given.Text, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary><c>scheme://host:port</c> with the port always written and the host in ASCII, or null when it is no origin.</summary>
    private static (string Text, string Host)? Normalize(string value)
    {
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out Uri? uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.UserInfo.Length > 0 || uri.PathAndQuery != "/" || uri.Fragment.Length > 0)
        {
            return null;
        }

        string host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host : uri.IdnHost.TrimEnd('.');
        return ($"{uri.Scheme}://{host}:{uri.Port}".ToLowerInvariant(), host);
    }
}
