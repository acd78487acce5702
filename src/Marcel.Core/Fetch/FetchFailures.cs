using System.Globalization;
using System.Net.Sockets;
using System.Security.Authentication;
using Marcel.Core.Resources;

namespace Marcel.Core.Fetch;

/// <summary>
/// Sorts what HttpClient throws into curl's exit codes, with one clear line each. The
/// <see cref="HttpRequestError"/> of .NET 8+ tells the cause; the session tells whether a proxy was in the way
/// (a name that does not resolve is then the proxy's: the proxy resolves the server's name itself).
/// </summary>
internal static class FetchFailures
{
    /// <summary>A failure before the response head arrived.</summary>
    public static FetchException WhileSending(Exception e, FetchSession session)
    {
        string server = session.CurrentUrl.Authority;
        string? proxy = session.CurrentRoute?.Address.Authority;
        if (e is TaskCanceledException { InnerException: TimeoutException })
        {
            return new(FetchExitCodes.Timeout, Format(FetchStrings.ConnectTimedOut, proxy ?? server, session.ConnectTimeoutMs), e);
        }

        if (e is not HttpRequestException http)
        {
            return new(FetchExitCodes.ReceiveError, Format(FetchStrings.ReceiveFailed, server, Reason(e)), e);
        }

        return http.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError when proxy is not null => new(FetchExitCodes.ProxyNotResolved, Format(FetchStrings.ProxyNotResolved, session.CurrentRoute!.Address.Host), e),
            HttpRequestError.NameResolutionError => new(FetchExitCodes.HostNotResolved, Format(FetchStrings.HostNotResolved, session.CurrentUrl.Host), e),
            HttpRequestError.ConnectionError when proxy is not null => new(FetchExitCodes.CannotConnect, Format(FetchStrings.ProxyConnectFailed, proxy, Reason(e)), e),
            HttpRequestError.ConnectionError => new(FetchExitCodes.CannotConnect, Format(FetchStrings.ConnectFailed, server, Reason(e)), e),
            HttpRequestError.ProxyTunnelError => new(FetchExitCodes.CannotConnect, Format(FetchStrings.ProxyTunnelRefused, proxy, server, http.Message), e),
            HttpRequestError.SecureConnectionError when session.CertificateRejected => new(FetchExitCodes.UntrustedCertificate, Format(FetchStrings.CertificateUntrusted, server, session.CertificateErrors), e),
            HttpRequestError.SecureConnectionError => new(FetchExitCodes.TlsHandshake, Format(FetchStrings.TlsFailed, server, Reason(e)), e),
            HttpRequestError.ResponseEnded => new(FetchExitCodes.EmptyReply, Format(FetchStrings.EmptyReply, server), e),
            HttpRequestError.InvalidResponse => new(FetchExitCodes.WeirdReply, Format(FetchStrings.WeirdReply, server, Reason(e)), e),
            _ => new(FetchExitCodes.ReceiveError, Format(FetchStrings.ReceiveFailed, server, Reason(e)), e),
        };
    }

    /// <summary>A failure while reading the body, after <paramref name="received"/> bytes.</summary>
    public static FetchException WhileReceiving(Exception e, FetchSession session, long received, long? expected)
    {
        if (e is HttpIOException { HttpRequestError: HttpRequestError.ResponseEnded })
        {
            return new(FetchExitCodes.PartialFile, expected is { } total
                ? Format(FetchStrings.PartialFile, total - received, received)
                : Format(FetchStrings.PartialChunked, received), e);
        }

        return new(FetchExitCodes.ReceiveError, Format(FetchStrings.ReceiveFailed, session.CurrentUrl.Authority, Reason(e)), e);
    }

    /// <summary>
    /// The body did not decode as its Content-Encoding announced (<c>--compressed</c>): gzip and deflate throw
    /// <see cref="InvalidDataException"/>, brotli <see cref="InvalidOperationException"/>. The system's text is left out:
    /// it is English whatever the user's language, and says no more than this.
    /// </summary>
    public static FetchException WhileDecoding(Exception e, FetchSession session) =>
        new(FetchExitCodes.BadContentEncoding, Format(FetchStrings.BadContentEncoding, session.CurrentUrl.Authority), e);

    /// <summary>The output could not take the bytes (a full disk, a closed pipe).</summary>
    public static FetchException WhileWriting(Exception e, string target) =>
        new(FetchExitCodes.WriteError, Format(FetchStrings.WriteFailed, target, WriteReason(e, target)), e);

    /// <summary>
    /// Why the output failed, naming the user's path: the system's message names the hidden temporary file beside it
    /// (<c>-o</c> writes there first), which the user never asked for.
    /// </summary>
    private static string WriteReason(Exception e, string target) => e switch
    {
        DirectoryNotFoundException => Format(FetchStrings.NoSuchDirectory, Path.GetDirectoryName(Path.GetFullPath(target))),
        UnauthorizedAccessException => FetchStrings.WritePermissionDenied,
        IOException { HResult: 28 or unchecked((int)0x80070070) } => FetchStrings.DiskFull,
        _ => e.Message,
    };

    /// <summary>The whole operation ran past <c>-m</c>.</summary>
    public static FetchException OperationTimedOut(TimeSpan limit, long received) =>
        new(FetchExitCodes.Timeout, Format(FetchStrings.OperationTimedOut, (long)limit.TotalMilliseconds, received));

    /// <summary>The deepest useful reason: the socket's words rather than HttpClient's wrapper.</summary>
    private static string Reason(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case SocketException socket:
                    return Transport.SocketErrorText.Describe(socket);
                case AuthenticationException:
                    return inner.Message;
            }
        }

        return (e.InnerException ?? e).Message;
    }

    private static string Format(string format, params object?[] args) => string.Format(CultureInfo.CurrentCulture, format, args);
}
