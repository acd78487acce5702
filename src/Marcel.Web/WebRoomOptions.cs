using System.Globalization;
using Marcel.Core.Hosting;
using Marcel.Core.Security;

namespace Marcel.Web;

/// <summary>Where and how the browser room (<c>marcel serve --chat --web</c>) serves its page and its WebSocket.</summary>
public sealed record WebRoomOptions
{
    /// <summary>Hard cap on <see cref="MaxMessageBytes"/>, the same as the largest line of the TCP room.</summary>
    public const int MaxMessageBytesCap = 16 * 1024 * 1024;

    /// <summary>Where to listen, as <c>--host</c> takes it (<c>localhost</c>, an address, a name, <c>*</c>). Default <c>localhost</c>.</summary>
    public string Host { get; init; } = "localhost";

    /// <summary>The HTTP port; 0 picks a free one. Default 8080.</summary>
    public int Port { get; init; } = 8080;

    /// <summary>
    /// Origins besides the page's own whose pages may open the WebSocket (<c>https://class.example.org</c>, or
    /// <c>*</c> for any). A browser always says where the page that opens a socket comes from; a page from another
    /// site is refused by default (cross-site WebSocket hijacking). Their host names are also accepted in <c>Host</c>.
    /// </summary>
    public IReadOnlyList<string> AllowedOrigins { get; init; } = [];

    /// <summary>HTTPS and WSS with this certificate; <c>null</c> for plain HTTP. The TCP room's certificate, when it has one.</summary>
    public TlsServerOptions? Tls { get; init; }

    /// <summary>The page's language; <c>null</c>: the browser's (<c>Accept-Language</c>) when it is one we speak, else <see cref="FallbackLanguage"/>.</summary>
    public CultureInfo? Language { get; init; }

    /// <summary>The language when the browser asks for none we speak. Default: the server's UI culture.</summary>
    public CultureInfo FallbackLanguage { get; init; } = CultureInfo.CurrentUICulture;

    /// <summary>Largest message a browser may send, in UTF-8 bytes (the room's <c>--max-line</c>); a larger one closes with 1009. Default 64 KiB.</summary>
    public int MaxMessageBytes { get; init; } = 64 * 1024;

    /// <summary>
    /// WebSocket pings every <see cref="TcpKeepAlive.Idle"/> and a peer that does not answer within
    /// <see cref="TcpKeepAlive.Interval"/> × <see cref="TcpKeepAlive.ProbeCount"/> is dropped: the same bound as
    /// <c>--keepalive</c> for TCP members. The TCP keepalive of the socket is set too. <c>null</c>: neither.
    /// </summary>
    public TcpKeepAlive? KeepAlive { get; init; } = TcpKeepAlive.Default;

    /// <summary>
    /// Connections open at once, page loads and sockets together (at most <see cref="ServerLimits.MaxConnectionsCap"/>, and
    /// what the file-descriptor limit leaves room for); past it newcomers are closed without a word. Default 10,100.
    /// </summary>
    public int MaxConnections { get; init; } = 10_100;

    /// <summary>How long a client may take to send a request's headers (slowloris). Default 10 s.</summary>
    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>True for <c>*</c> or an <c>http</c>/<c>https</c> origin: scheme, host, optional port, nothing else.</summary>
    public static bool IsValidOrigin(string value) => OriginPolicy.IsValidOrigin(value);

    /// <summary>Throws when an option is out of its documented range.</summary>
    public WebRoomOptions Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Host);
        ArgumentOutOfRangeException.ThrowIfNegative(Port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Port, 65535);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxMessageBytes, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxMessageBytes, MaxMessageBytesCap);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConnections, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RequestHeadersTimeout, TimeSpan.Zero);
        foreach (string origin in AllowedOrigins)
        {
            if (!OriginPolicy.IsValidOrigin(origin))
            {
                throw new ArgumentException($"Not an origin (scheme://host[:port]): {origin}", nameof(AllowedOrigins));
            }
        }

        Tls?.Validate();
        return this;
    }
}
