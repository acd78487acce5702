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
    private long _received;

    private FetchRunner(FetchOptions options, FetchOutput output)
    {
        _options = options;
        _output = output;
        _buffer = new byte[Math.Clamp(options.BufferSize, MinBufferSize, FetchOptions.MaxBufferSize)];
    }

    /// <summary>Fetches <see cref="FetchOptions.Url"/> into <paramref name="output"/>.</summary>
    /// <exception cref="FetchException">The fetch failed; its exit code is curl's for the same failure.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired (Ctrl-C).</exception>
    public static Task RunAsync(FetchOptions options, FetchOutput output, CancellationToken cancellationToken = default)
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
        if (options.Url.UserInfo.Length == 0)
        {
            return options;
        }

        string[] parts = options.Url.UserInfo.Split(':', 2);
        var credentials = new System.Net.NetworkCredential(Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : string.Empty);
        var url = new UriBuilder(options.Url) { UserName = string.Empty, Password = string.Empty }.Uri;
        bool given = options.Headers.Any(h => h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase));
        return options with
        {
            Url = url,
            Headers = given ? options.Headers : [.. options.Headers, new("Authorization", RequestHeaders.Basic(credentials))],
        };
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (_options.MaxTime is { } maxTime)
        {
            limit.CancelAfter(maxTime);
        }

        using var session = new FetchSession(_options, new FetchTrace(_output.Trace));
        try
        {
            using HttpResponseMessage response = await SendAsync(session, limit.Token);
            if (_options.FailOnHttpError && (int)response.StatusCode >= 400)
            {
                throw new FetchException(FetchExitCodes.HttpError, string.Format(CultureInfo.CurrentCulture, FetchStrings.HttpError, (int)response.StatusCode, response.ReasonPhrase));
            }

            await new ResponseWriter(this, session, response, limit.Token).WriteAsync();
        }
        catch (Exception e) when (e is not FetchException && limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw FetchFailures.OperationTimedOut(_options.MaxTime!.Value, _received);
        }
    }

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

    /// <summary>Moves the body of one response to the output chosen by <see cref="FetchOutput"/>.</summary>
    private sealed class ResponseWriter(FetchRunner runner, FetchSession session, HttpResponseMessage response, CancellationToken token)
    {
        private readonly FetchOutput _output = runner._output;
        private readonly long? _length = response.Content.Headers.ContentLength;

        public async Task WriteAsync()
        {
            try
            {
                await WriteToChosenOutputAsync();
            }
            catch (IOException e) when (!token.IsCancellationRequested)
            {
                // Reads map their own failures: an IOException that gets here is the terminal refusing a write.
                throw FetchFailures.WhileWriting(e, "stdout");
            }
        }

        private async Task WriteToChosenOutputAsync()
        {
            if (_output.File is { } file)
            {
                await ToFileAsync(file);
            }
            else if (_output.Terminal is { } terminal)
            {
                await ToTerminalAsync(terminal);
            }
            else
            {
                await HeadBytesAsync(_output.Stdout, "stdout");
                if (!runner._options.HeadOnly)
                {
                    await CopyAsync(await OpenBodyAsync(), _output.Stdout, "stdout", progress: null);
                }

                await Guard(() => _output.Stdout.FlushAsync(token), "stdout");
            }
        }

        private async Task ToFileAsync(string file)
        {
            AtomicFile target;
            try
            {
                target = new AtomicFile(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw FetchFailures.WhileWriting(e, file);
            }

            await using (target)
            {
                await HeadBytesAsync(target.Stream, file);
                if (!runner._options.HeadOnly)
                {
                    await using IFetchProgress? progress = _output.Progress;
                    progress?.Start(_length);
                    await CopyAsync(await OpenBodyAsync(), target.Stream, file, progress);
                }

                await Guard(target.CommitAsync, file);
            }
        }

        private async Task ToTerminalAsync(TextWriter terminal)
        {
            TerminalText.WriteLines(terminal, ResponseHead.Lines(response));
            if (runner._options.HeadOnly)
            {
                return;
            }

            Stream body = await OpenBodyAsync();
            int first = await ReadAsync(body);
            var encoding = BodyCharset.For(response.Content.Headers.ContentType);
            if (BodyCharset.IsBinary(response.Content.Headers.ContentType, encoding, runner._buffer.AsSpan(0, first)))
            {
                string size = _length is { } n ? n.ToString("N0", CultureInfo.CurrentCulture) : "?";
                string type = response.Content.Headers.ContentType?.MediaType ?? "?";
                terminal.WriteLine(string.Format(CultureInfo.CurrentCulture, FetchStrings.BinaryNotShown, size, type, session.CurrentUrl));
                return;
            }

            var text = new TerminalText(terminal, encoding, runner._buffer.Length);
            for (int read = first; read > 0; read = await ReadAsync(body))
            {
                text.Write(runner._buffer.AsSpan(0, read));
            }

            text.Complete();
        }

        private async Task HeadBytesAsync(Stream sink, string name)
        {
            if (_output.IncludeHead || runner._options.HeadOnly)
            {
                byte[] head = ResponseHead.Bytes(response);
                await Guard(() => sink.WriteAsync(head, token).AsTask(), name);
            }
        }

        private async Task<Stream> OpenBodyAsync()
        {
            try
            {
                return await response.Content.ReadAsStreamAsync(token);
            }
            catch (Exception e) when (e is IOException or HttpRequestException && !token.IsCancellationRequested)
            {
                throw FetchFailures.WhileReceiving(e, session, runner._received, _length);
            }
        }

        private async Task CopyAsync(Stream body, Stream sink, string name, IFetchProgress? progress)
        {
            byte[] buffer = runner._buffer;
            for (int read = await ReadAsync(body); read > 0; read = await ReadAsync(body))
            {
                try
                {
                    // Synchronous on purpose: stdout and files are local; an async write on a synchronous
                    // stream or file handle only adds a thread-pool hop and a Task per chunk.
                    sink.Write(buffer, 0, read);
                }
                catch (IOException e)
                {
                    throw FetchFailures.WhileWriting(e, name);
                }

                progress?.Report(runner._received);
            }
        }

        private async Task<int> ReadAsync(Stream body)
        {
            try
            {
                int read = await body.ReadAsync(runner._buffer, token);
                runner._received += read;
                return read;
            }
            catch (Exception e) when (e is IOException or HttpRequestException && !token.IsCancellationRequested)
            {
                throw FetchFailures.WhileReceiving(e, session, runner._received, _length);
            }
        }

        private static async Task Guard(Func<Task> write, string name)
        {
            try
            {
                await write();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw FetchFailures.WhileWriting(e, name);
            }
        }
    }
}
