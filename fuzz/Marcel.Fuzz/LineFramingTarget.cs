using System.Buffers;
using System.IO.Pipelines;
using Marcel.Core.Framing;

namespace Marcel.Fuzz;

/// <summary>
/// Fuzz target for <see cref="LineFramer"/> and <see cref="LineReader"/>: however the stream is cut, framing never
/// throws, never yields a line over the maximum, gives back exactly the bytes it was given, and agrees with itself.
/// </summary>
internal static class LineFramingTarget
{
    public static void Run(byte[] raw)
    {
        FuzzInput input = FuzzInput.Parse(raw);
        Framed whole = FrameWhole(new ReadOnlySequence<byte>(input.Data), input.MaxLineBytes, input.Data);
        Framed segmented = FrameWhole(Marcel.Tests.Support.Segments.Split(input.Data, input.Chunks().Select(c => c.Length)), input.MaxLineBytes, input.Data);
        InvariantException.Check(whole.SameAs(segmented), "a multi-segment buffer frames differently from a contiguous one");
        Framed incremental = FrameIncrementally(input);
        InvariantException.Check(whole.SameAs(incremental), "chunk-by-chunk framing differs from framing the whole stream");
        CheckReader(input, whole);
    }

    /// <summary>Frames a buffer holding the whole stream, checking each line against the bytes it was cut from.</summary>
    private static Framed FrameWhole(ReadOnlySequence<byte> buffer, int max, byte[] data)
    {
        var lines = new List<byte[]>();
        long consumed = 0;
        while (true)
        {
            ReadOnlySequence<byte> before = buffer;
            LineStatus status = LineFramer.TryReadLine(ref buffer, max, out ReadOnlySequence<byte> line);
            if (status != LineStatus.Complete)
            {
                InvariantException.Check(buffer.Length == before.Length, "an incomplete read moved the buffer");
                return new Framed(lines, status == LineStatus.TooLong, status == LineStatus.TooLong ? [] : buffer.ToArray());
            }

            byte[] content = line.ToArray();
            long taken = before.Length - buffer.Length;
            InvariantException.Check(content.Length <= max, "a line longer than the maximum was returned");
            InvariantException.Check(Array.IndexOf(content, (byte)'\n') < 0, "a line contains LF");
            InvariantException.Check(taken == content.Length + 1 || taken == content.Length + 2, "a line consumed the wrong number of bytes");
            ReadOnlySpan<byte> source = data.AsSpan((int)consumed, (int)taken);
            InvariantException.Check(source.StartsWith(content), "a line's bytes are not the stream's bytes");
            InvariantException.Check(taken == content.Length + 1 ? source[^1] == '\n' : source[^2..].SequenceEqual("\r\n"u8), "a line's terminator is not LF or CR LF");
            _ = LineFramer.Decode(line);
            lines.Add(content);
            consumed += taken;
        }
    }

    /// <summary>Frames the stream as it arrives, chunk by chunk, keeping the unframed rest as a pipe would.</summary>
    private static Framed FrameIncrementally(FuzzInput input)
    {
        var lines = new List<byte[]>();
        var pending = new List<byte>();
        foreach (ReadOnlyMemory<byte> chunk in input.Chunks())
        {
            pending.AddRange(chunk.Span);
            var buffer = new ReadOnlySequence<byte>(pending.ToArray());
            LineStatus status;
            while ((status = LineFramer.TryReadLine(ref buffer, input.MaxLineBytes, out ReadOnlySequence<byte> line)) == LineStatus.Complete)
            {
                lines.Add(line.ToArray());
            }

            if (status == LineStatus.TooLong)
            {
                return new Framed(lines, TooLong: true, []);
            }

            pending = [.. buffer.ToArray()];
        }

        return new Framed(lines, TooLong: false, [.. pending]);
    }

    /// <summary>Feeds the chunks through a real pipe to a <see cref="LineReader"/> and compares its messages with the framing.</summary>
    private static void CheckReader(FuzzInput input, Framed expected)
    {
        // Inline schedulers: a flush runs the waiting reader to its next wait before returning, so the run is deterministic.
        var pipe = new Pipe(new PipeOptions(readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, pauseWriterThreshold: 0, useSynchronizationContext: false));
        var reader = new LineReader(pipe.Reader, new LineOptions { MaxLineBytes = Math.Min(input.MaxLineBytes, LineOptions.MaxLineBytesCap), FlushDelay = TimeSpan.FromHours(1) });
        var results = new List<LineReadResult>();
        Task<LineReadResult> next = reader.ReadAsync().AsTask();
        foreach (ReadOnlyMemory<byte> chunk in input.Chunks())
        {
            next = Collect(reader, next, results);
            pipe.Writer.Write(chunk.Span);
            Task<FlushResult> flushed = pipe.Writer.FlushAsync().AsTask();
            InvariantException.Check(flushed.IsCompleted, "a flush waited with back-pressure off");
        }

        pipe.Writer.Complete();
        while (results.Count == 0 || results[^1].Kind == LineReadKind.Message)
        {
            InvariantException.Check(next.IsCompleted, "the reader waits after the stream ended");
            results.Add(next.Result);
            if (results[^1].Kind == LineReadKind.Message)
            {
                next = reader.ReadAsync().AsTask();
            }
        }

        List<LineReadResult> wanted = Expected(expected);
        InvariantException.Check(results.SequenceEqual(wanted), $"the reader gave {results.Count} results, the framer {wanted.Count}, or they differ");
    }

    private static Task<LineReadResult> Collect(LineReader reader, Task<LineReadResult> next, List<LineReadResult> results)
    {
        while (next.IsCompleted && (results.Count == 0 || results[^1].Kind == LineReadKind.Message))
        {
            results.Add(next.Result);
            if (results[^1].Kind != LineReadKind.Message)
            {
                return next;
            }

            next = reader.ReadAsync().AsTask();
        }

        return next;
    }

    private static List<LineReadResult> Expected(Framed framed)
    {
        var wanted = framed.Lines.Select(l => LineReadResult.FromText(LineFramer.Decode(new ReadOnlySequence<byte>(l)))).ToList();
        if (framed.TooLong)
        {
            wanted.Add(LineReadResult.Overflow);
            return wanted;
        }

        if (framed.Rest.Length > 0)
        {
            wanted.Add(LineReadResult.FromText(LineFramer.Decode(LineFramer.TakeRemainder(new ReadOnlySequence<byte>(framed.Rest)))));
        }

        wanted.Add(LineReadResult.End);
        return wanted;
    }
}
