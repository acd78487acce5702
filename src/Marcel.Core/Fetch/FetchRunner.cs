using System.Globalization;
using Marcel.Core.Resources;

namespace Marcel.Core.Fetch;

/// <summary>
/// <c>marcel fetch</c> as a library call: sends the request (through <see cref="FetchSession"/>), then streams the
/// response to the chosen output with one fixed buffer, so memory stays constant whatever the size.
/// </summary>
public sealed class FetchRunner
{
    private const int MinBufferSize = 16 * 1024;

    private readonly FetchOptions _options;
    private readonly FetchOutput _output;
    private readonly byte[] _buffer;
    private ResponseWriter? _writer;

    private FetchRunner(FetchOptions options, FetchOutput output)
    {
        _options = options;
        _output = output;
        _buffer = new byte[Math.Clamp(options.BufferSize, MinBufferSize, FetchOptions.MaxBufferSize)];
    }

    /// <summary>Fetches <see cref="FetchOptions.Url"/> into <paramref name="output"/>.</summary>
    /// <exception cref="FetchException">The fetch failed; its exit code is curl's for the same failure.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired (Ctrl-C).</exception>
    public static Task<FetchResult> RunAsync(FetchOptions options, FetchOutput output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        if (!options.Url.IsAbsoluteUri || options.Url.Scheme is not ("http" or "https"))
        {
            throw new FetchException(FetchExitCodes.BadUrl, string.Format(CultureInfo.CurrentCulture, FetchStrings.UrlInvalid, options.Url));
        }

        return new FetchRunner(WithoutUrlCredentials(options), output).RunAsync(cancellationToken);
    }

    /// <summary>
    /// As curl, <c>http://user:password@host/</c> means Basic credentials for the server: they become an
    /// <c>Authorization</c> header (masked by -v, dropped on a redirect to another host) and leave the URL, so that
    /// no message or trace can show them.
    /// </summary>
    private static FetchOptions WithoutUrlCredentials(FetchOptions options)
    {
        if (options.Url.UserInfo.Length == 0 && options.Credentials is null)
        {
            return options;
        }

        string[] parts = options.Url.UserInfo.Split(':', 2);
        // -u wins over the URL's user, as in curl.
        var credentials = options.Credentials
            ?? new System.Net.NetworkCredential(Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : string.Empty);
        var url = new UriBuilder(options.Url) { UserName = string.Empty, Password = string.Empty }.Uri;
        bool given = options.Headers.Any(h => h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase));
        return options with
        {
            Url = url,
            Credentials = null,
            Headers = given ? options.Headers : [.. options.Headers, new("Authorization", RequestHeaders.Basic(credentials))],
        };
    }

    private async Task<FetchResult> RunAsync(CancellationToken cancellationToken)
    {
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (_options.MaxTime is { } maxTime)
        {
            limit.CancelAfter(maxTime);
        }

        using var session = new FetchSession(_options, new FetchTrace(_output.Trace));
        HttpResponseMessage? response = null;
        try
        {
            response = await SendAsync(session, limit.Token);
            bool resumed = _options.ResumeFrom > 0 && !_options.HeadOnly;
            // As curl: a 416 to a resume means the file is already whole, not a failure, even with -f.
            if (_options.FailOnHttpError && (int)response.StatusCode >= 400 && !(resumed && response.StatusCode == System.Net.HttpStatusCode.RequestedRangeNotSatisfiable))
            {
                throw new FetchException(FetchExitCodes.HttpError, string.Format(CultureInfo.CurrentCulture, FetchStrings.HttpError, (int)response.StatusCode, response.ReasonPhrase));
            }

            if (resumed && ResumedResponse.NothingLeft(response, _options.ResumeFrom))
            {
                return Result(response, session, started, received: 0, alreadyComplete: true);
            }

            _writer = new ResponseWriter(_options, _output, _buffer, session, response, limit.Token);
            await _writer.WriteAsync();
            return Result(response, session, started, _writer.Received, alreadyComplete: false);
        }
        catch (FetchException e)
        {
            e.Result ??= Result(response, session, started, _writer?.Received ?? 0, alreadyComplete: false);
            throw;
        }
        catch (Exception) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            FetchException timedOut = FetchFailures.OperationTimedOut(_options.MaxTime!.Value, _writer?.Received ?? 0);
            timedOut.Result = Result(response, session, started, _writer?.Received ?? 0, alreadyComplete: false);
            throw timedOut;
        }
        finally
        {
            response?.Dispose();
        }
    }

    private static FetchResult Result(HttpResponseMessage? response, FetchSession session, long started, long received, bool alreadyComplete) => new()
    {
        StatusCode = response is null ? 0 : (int)response.StatusCode,
        Received = received,
        ContentType = response?.Content.Headers.ContentType?.ToString(),
        EffectiveUrl = session.CurrentUrl,
        Elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started),
        AlreadyComplete = alreadyComplete,
    };

    private static async Task<HttpResponseMessage> SendAsync(FetchSession session, CancellationToken token)
    {
        try
        {
            return await session.SendAsync(token);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !token.IsCancellationRequested)
        {
            throw FetchFailures.WhileSending(e, session);
        }
    }
}
