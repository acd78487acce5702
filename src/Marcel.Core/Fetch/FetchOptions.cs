using System.Net;

namespace Marcel.Core.Fetch;

/// <summary>What <see cref="FetchRunner"/> fetches and how; every default is curl's unless said otherwise.</summary>
public sealed record FetchOptions
{
    /// <summary>The chapter's two <c>Accept</c> values, sent unless a <c>-H 'Accept: …'</c> replaces them.</summary>
    public static readonly IReadOnlyList<KeyValuePair<string, string?>> DefaultHeaders =
    [
        new("Accept", "text/html"),
        new("Accept", "text/plain"),
    ];

    /// <summary>Largest buffer accepted for <see cref="BufferSize"/> (a hard cap: memory stays bounded).</summary>
    public const int MaxBufferSize = 4 * 1024 * 1024;

    /// <summary>The URL to fetch (http or https).</summary>
    public required Uri Url { get; init; }

    /// <summary>Send HEAD instead of GET and show only the head (<c>-I</c>). Default: false.</summary>
    public bool HeadOnly { get; init; }

    /// <summary>
    /// Extra request headers (<c>-H</c>, see <see cref="RequestHeaders.TryParse"/>), in order. A header named here
    /// replaces <see cref="DefaultHeaders"/> and the <c>User-Agent</c> of that name; a null value removes it.
    /// Default: none.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string?>> Headers { get; init; } = [];

    /// <summary>The <c>User-Agent</c> (<c>-A</c>); empty sends none. Default: <c>marcel/VERSION</c>.</summary>
    public string? UserAgent { get; init; }

    /// <summary>Follow 3xx redirects (<c>-L</c>). Default: false, as curl.</summary>
    public bool FollowRedirects { get; init; }

    /// <summary>Redirects followed at most with <see cref="FollowRedirects"/>; one more is exit 47. Default: 50, as curl.</summary>
    public int MaxRedirects { get; init; } = 50;

    /// <summary>Limit on the whole operation, body included (<c>-m</c>). Default: none.</summary>
    public TimeSpan? MaxTime { get; init; }

    /// <summary>Limit on each connection attempt (<c>--connect-timeout</c>). Default: 300 s, as curl.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>Accept any TLS certificate (<c>-k</c>). Default: false.</summary>
    public bool Insecure { get; init; }

    /// <summary>An HTTP status of 400 or more fails with exit 22 and no body (<c>-f</c>). Default: false.</summary>
    public bool FailOnHttpError { get; init; }

    /// <summary>The proxy (<c>-x</c>): <c>[scheme://][user:password@]host[:port]</c>; empty means none. Default: from the environment.</summary>
    public string? Proxy { get; init; }

    /// <summary>Hosts reached without proxy (<c>--noproxy</c>), comma-separated, <c>*</c> for all. Default: <c>no_proxy</c>.</summary>
    public string? NoProxy { get; init; }

    /// <summary>Basic credentials for the proxy (<c>-U</c>). Default: none, or those in the proxy URL.</summary>
    public NetworkCredential? ProxyCredentials { get; init; }

    /// <summary>The request method (<c>-X</c>). Default: GET, POST with a <see cref="Body"/>, HEAD with <see cref="HeadOnly"/>.</summary>
    public string? Method { get; init; }

    /// <summary>The request body (<c>-d</c>, <c>--data-binary</c>), sent as <c>application/x-www-form-urlencoded</c> as curl does. Default: none.</summary>
    public ReadOnlyMemory<byte>? Body { get; init; }

    /// <summary>Basic credentials for the server (<c>-u</c>), sent as curl does at once, dropped on a redirect to another host. Default: none.</summary>
    public NetworkCredential? Credentials { get; init; }

    /// <summary>Ask for a compressed body (gzip, deflate, br) and decompress it (<c>--compressed</c>). Default: false.</summary>
    public bool Compressed { get; init; }

    /// <summary>
    /// Resume at this byte offset (<c>-C</c>): the request asks for <c>Range: bytes=N-</c>, and a reply that is not the
    /// range from there fails with curl's exit 33 (416, or a whole body of exactly N bytes, means nothing is left to
    /// fetch). Default: 0, the whole body.
    /// </summary>
    public long ResumeFrom { get; init; }

    /// <summary>Reads an environment variable; tests substitute their own. Default: the process environment.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Bytes moved per read and write of the body. Default: 256 KiB; capped at <see cref="MaxBufferSize"/>.</summary>
    public int BufferSize { get; init; } = 256 * 1024;
}
