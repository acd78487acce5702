using System.Globalization;
using Marcel.Core.Resources;

namespace Marcel.Core.Fetch;

/// <summary>
/// Moves the body of one response to the output chosen by <see cref="FetchOutput"/>: a file (see
/// <see cref="OutputFile"/>), the terminal (decoded text, or a notice for a binary body), or raw stdout, through one
/// fixed buffer.
/// </summary>
internal sealed class ResponseWriter(FetchOptions options, FetchOutput output, byte[] buffer, FetchSession session, HttpResponseMessage response, CancellationToken token)
{
    /// <summary>How much of the body the charset is sniffed from (WHATWG's prescan looks at 1,024 bytes).</summary>
    private const int SniffBytes = 1024;

    private readonly long? _length = response.Content.Headers.ContentLength;

    /// <summary>Body bytes received so far.</summary>
    public long Received { get; private set; }

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
        if (output.File is { } file)
        {
            await ToFileAsync(file);
        }
        else if (output.Terminal is { } terminal)
        {
            await ToTerminalAsync(terminal);
        }
        else
        {
            await HeadBytesAsync(output.Stdout, "stdout");
            if (!options.HeadOnly)
            {
                // A meter here too when asked (stdout redirected, stderr a terminal), as curl's.
                await using IFetchProgress? progress = output.Progress;
                progress?.Start(_length);
                await CopyAsync(await OpenBodyAsync(), output.Stdout, "stdout", progress);
            }

            await Guard(() => output.Stdout.FlushAsync(token), "stdout");
        }
    }

    private async Task ToFileAsync(string file)
    {
        OutputFile target;
        try
        {
            target = new OutputFile(file, output.Append);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw FetchFailures.WhileWriting(e, file);
        }

        await using (target)
        {
            await HeadBytesAsync(target.Stream, file);
            if (!options.HeadOnly)
            {
                await using IFetchProgress? progress = output.Progress;
                progress?.Start(_length);
                await CopyAsync(await OpenBodyAsync(), target.Stream, file, progress);
            }

            await Guard(target.CommitAsync, file);
        }
    }

    private async Task ToTerminalAsync(TextWriter terminal)
    {
        TerminalText.WriteLines(terminal, ResponseHead.Lines(response));
        if (options.HeadOnly)
        {
            return;
        }

        Stream body = await OpenBodyAsync();
        // The charset is sniffed over the first KiB, as WHATWG's prescan does, not over the first read: a server that
        // flushes an ASCII head first would get its later é taken for UTF-8. The screen waits for that KiB or the end.
        int first = 0;
        while (first < SniffBytes && await ReadAsync(body, first) is > 0 and int read)
        {
            first += read;
        }

        var encoding = BodyCharset.Detect(response.Content.Headers.ContentType, buffer.AsSpan(0, first));
        if (BodyCharset.IsBinary(response.Content.Headers.ContentType, encoding, buffer.AsSpan(0, first)))
        {
            string size = _length is { } n ? n.ToString("N0", CultureInfo.CurrentCulture) : "?";
            string type = response.Content.Headers.ContentType?.MediaType ?? "?";
            terminal.WriteLine(string.Format(CultureInfo.CurrentCulture, FetchStrings.BinaryNotShown, size, type, session.CurrentUrl));
            return;
        }

        var text = new TerminalText(terminal, encoding, buffer.Length);
        for (int read = first; read > 0; read = await ReadAsync(body))
        {
            text.Write(buffer.AsSpan(0, read));
        }

        text.Complete();
    }

    private async Task HeadBytesAsync(Stream sink, string name)
    {
        if (output.IncludeHead || options.HeadOnly)
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
            throw FetchFailures.WhileReceiving(e, session, Received, _length);
        }
    }

    private async Task CopyAsync(Stream body, Stream sink, string name, IFetchProgress? progress)
    {
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

            progress?.Report(Received);
        }

        progress?.Complete();
    }

    private async Task<int> ReadAsync(Stream body, int offset = 0)
    {
        try
        {
            int read = await body.ReadAsync(buffer.AsMemory(offset), token);
            Received += read;
            return read;
        }
        catch (Exception e) when (e is IOException or HttpRequestException && !token.IsCancellationRequested)
        {
            throw FetchFailures.WhileReceiving(e, session, Received, _length);
        }
        catch (Exception e) when (options.Compressed && e is InvalidDataException or InvalidOperationException && !token.IsCancellationRequested)
        {
            throw FetchFailures.WhileDecoding(e, session);
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
