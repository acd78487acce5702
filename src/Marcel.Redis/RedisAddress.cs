using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Marcel.Redis.Resources;

namespace Marcel.Redis;

/// <summary>
/// Where the room's Redis is: <c>redis://[user@]HOST[:PORT]</c>, or <c>rediss://</c> for TLS (the certificate is
/// verified). The password never comes from here: a URL that carries one is refused, so that it never sits in a
/// shell history or a process list; it comes from <c>MARCEL_REDIS_PASSWORD</c> (<see cref="RedisRoomOptions.Password"/>).
/// </summary>
/// <param name="Host">A host name or an IP address (IPv6 in brackets in the URL, without them here).</param>
/// <param name="Port">The TCP port; 6379 when the URL names none.</param>
/// <param name="User">The ACL user of the URL's user part (Redis 6+), or <c>null</c> for the default user.</param>
/// <param name="Tls">Whether the URL was <c>rediss://</c>.</param>
public sealed record RedisAddress(string Host, int Port, string? User, bool Tls)
{
    /// <summary>Redis's own port.</summary>
    public const int DefaultPort = 6379;

    /// <summary>Parses a <c>redis://</c> or <c>rediss://</c> URL; on failure <paramref name="error"/> says why in one line (never repeating a password).</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out RedisAddress? address, [NotNullWhen(false)] out string? error)
    {
        address = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text)
            || !Uri.TryCreate(text.Trim(), UriKind.Absolute, out Uri? uri)
            || (uri.Scheme != "redis" && uri.Scheme != "rediss")
            || uri.Host.Length == 0)
        {
            error = RedisStrings.UrlInvalid;
            return false;
        }

        string? user = null;
        if (uri.UserInfo.Length > 0)
        {
            // "user:password@" or ":password@": refused whole, and the URL is not repeated (it holds the secret).
            if (uri.UserInfo.Contains(':', StringComparison.Ordinal))
            {
                error = RedisStrings.UrlHasPassword;
                return false;
            }

            user = Uri.UnescapeDataString(uri.UserInfo);
        }

        if (uri.AbsolutePath is not ("" or "/") || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            error = RedisStrings.UrlInvalid;
            return false;
        }

        int port = uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : uri.Port;
        if (port is < 1 or > 65535)
        {
            error = RedisStrings.UrlInvalid;
            return false;
        }

        address = new RedisAddress(uri.IdnHost.Trim('[', ']'), port, user, uri.Scheme == "rediss");
        return true;
    }

    /// <summary><c>HOST:PORT</c> (<c>[::1]:PORT</c> for IPv6), as errors and the console name it: never a user nor a password.</summary>
    public override string ToString() =>
        Host.Contains(':', StringComparison.Ordinal)
            ? string.Create(CultureInfo.InvariantCulture, $"[{Host}]:{Port}")
            : string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}");
}
