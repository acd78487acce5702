namespace Marcel.Core.Fetch;

/// <summary>
/// The exit codes of <c>marcel fetch</c>: curl's own numbers (curl 8.20+), so that scripts can switch tools.
/// Documented in the README.
/// </summary>
public static class FetchExitCodes
{
    /// <summary>The transfer completed.</summary>
    public const int Success = 0;

    /// <summary>A redirect to a scheme other than http/https (curl's 1, unsupported protocol).</summary>
    public const int UnsupportedProtocol = 1;

    /// <summary>The URL is malformed or its scheme is not http/https (curl's 3, URL malformat).</summary>
    public const int BadUrl = 3;

    /// <summary>Something needed before the transfer is missing, e.g. a proxy password (curl's 2, failed init).</summary>
    public const int FailedInit = 2;

    /// <summary>The proxy's host name did not resolve.</summary>
    public const int ProxyNotResolved = 5;

    /// <summary>The server's host name did not resolve.</summary>
    public const int HostNotResolved = 6;

    /// <summary>No connection to the server or proxy, or the proxy refused the CONNECT tunnel.</summary>
    public const int CannotConnect = 7;

    /// <summary>The server's reply was not HTTP.</summary>
    public const int WeirdReply = 8;

    /// <summary>The body ended before all the announced bytes came.</summary>
    public const int PartialFile = 18;

    /// <summary>With <c>--fail</c>: the HTTP status was 400 or more.</summary>
    public const int HttpError = 22;

    /// <summary>The output (file or stdout) could not be written.</summary>
    public const int WriteError = 23;

    /// <summary>The operation (<c>-m</c>) or the connection (<c>--connect-timeout</c>) took too long.</summary>
    public const int Timeout = 28;

    /// <summary>A local file named by <c>-d @file</c> or <c>--data-binary @file</c> could not be read.</summary>
    public const int ReadError = 26;

    /// <summary>A resume (<c>-C</c>) was answered without the range asked for: the server does not do byte ranges.</summary>
    public const int RangeError = 33;

    /// <summary>The TLS handshake failed.</summary>
    public const int TlsHandshake = 35;

    /// <summary>More redirects than <c>--max-redirs</c>.</summary>
    public const int TooManyRedirects = 47;

    /// <summary>The server closed the connection without a reply.</summary>
    public const int EmptyReply = 52;

    /// <summary>The connection failed while receiving.</summary>
    public const int ReceiveError = 56;

    /// <summary>The server's certificate is not trusted (use <c>-k</c> to accept it anyway).</summary>
    public const int UntrustedCertificate = 60;

    /// <summary>With <c>--compressed</c>: the body is not what its Content-Encoding announces (curl's 61, bad content encoding).</summary>
    public const int BadContentEncoding = 61;
}
