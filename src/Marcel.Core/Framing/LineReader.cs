using System.Buffers;
using System.IO.Pipelines;

namespace Marcel.Core.Framing;

/// <summary>
/// Reads messages from a <see cref="PipeReader"/>: does the pipe bookkeeping around <see cref="LineFramer"/>,
/// enforces the maximum line length, and turns an unterminated chunk into a message once no more data
/// follows within <see cref="LineOptions.FlushDelay"/>.
/// </summary>
/// <remarks>Not thread-safe: one reader loop per connection.</remarks>
internal sealed class LineReader
{
    private readonly PipeReader _input;
    private readonly LineOptions _options;
    private readonly TimeProvider _time;
    private bool _sawTerminator;

    /// <summary>Creates a reader over <paramref name="input"/>; <paramref name="time"/> drives the flush delay.</summary>
    public LineReader(PipeReader input, LineOptions options, TimeProvider? time = null)
    {
        _input = input ?? throw new ArgumentNullException(nameof(input));
        _options = (options ?? throw new ArgumentNullException(nameof(options))).Validate();
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Waits for the next message, the end of the stream, or a line over the limit.</summary>
    public ValueTask<LineReadResult> ReadAsync(CancellationToken cancellationToken = default) => ReadCoreAsync(null, cancellationToken);

    /// <summary>
    /// Waits like <see cref="ReadAsync"/>, but hands each message's bytes to <paramref name="visitor"/> undecoded, and
    /// goes on handing it every further complete line already buffered, without waiting, while it returns true. A
    /// client that writes 64 lines at once is then one call, not 64; nothing is allocated per line. Returns
    /// <see cref="LineReadKind.Message"/> once at least one line was handed over (its <c>Text</c> is empty).
    /// </summary>
    public ValueTask<LineReadResult> ReadLinesAsync(ILineVisitor visitor, CancellationToken cancellationToken = default) =>
        ReadCoreAsync(visitor ?? throw new ArgumentNullException(nameof(visitor)), cancellationToken);

    private async ValueTask<LineReadResult> ReadCoreAsync(ILineVisitor? visitor, CancellationToken cancellationToken)
    {
        long flushDeadline = 0; // 0: no unterminated chunk is waiting.
        while (true)
        {
            ReadResult result = await ReadUntilAsync(flushDeadline, cancellationToken);
            ReadOnlySequence<byte> buffer = result.Buffer;

            switch (LineFramer.TryReadLine(ref buffer, _options.MaxLineBytes, out ReadOnlySequence<byte> line))
            {
                case LineStatus.Complete:
                    _sawTerminator = true;
                    if (visitor is not null)
                    {
                        VisitBuffered(visitor, line, ref buffer);
                        _input.AdvanceTo(buffer.Start);
                        return Visited;
                    }

                    string text = LineFramer.Decode(line);
                    // The rest is not marked examined, so the next read returns it at once.
                    _input.AdvanceTo(buffer.Start);
                    return LineReadResult.FromText(text);

                case LineStatus.TooLong:
                    _input.AdvanceTo(result.Buffer.End);
                    return LineReadResult.Overflow;
            }

            if (buffer.IsEmpty)
            {
                _input.AdvanceTo(buffer.End);
                if (result.IsCompleted)
                {
                    return LineReadResult.End;
                }

                flushDeadline = 0;
                continue;
            }

            long now = _time.GetTimestamp();
            bool quietLongEnough = result.IsCanceled && flushDeadline != 0 && now >= flushDeadline;
            bool mayFlushEarly = _options.FlushAfterTerminatedLines || !_sawTerminator;
            if (result.IsCompleted || (mayFlushEarly && (quietLongEnough || _options.FlushDelay == TimeSpan.Zero)))
            {
                if (visitor is not null)
                {
                    visitor.Visit(LineFramer.TakeRemainder(buffer));
                    _input.AdvanceTo(buffer.End);
                    return Visited;
                }

                string remainder = LineFramer.Decode(LineFramer.TakeRemainder(buffer));
                _input.AdvanceTo(buffer.End);
                return LineReadResult.FromText(remainder);
            }

            _input.AdvanceTo(buffer.Start, buffer.End);
            if (!mayFlushEarly)
            {
                flushDeadline = 0; // A line client's line in progress: wait for its newline, with no timer.
                continue;
            }

            // New bytes restart the quiet period; a stray cancellation (a timer that fired late) does not.
            if (!result.IsCanceled || flushDeadline == 0)
            {
                flushDeadline = now + (long)(_options.FlushDelay.TotalSeconds * _time.TimestampFrequency);
            }
        }
    }

    private static LineReadResult Visited { get; } = LineReadResult.FromText(string.Empty);

    /// <summary>Hands <paramref name="first"/>, then each further complete line of <paramref name="buffer"/>, while the visitor wants more.</summary>
    private void VisitBuffered(ILineVisitor visitor, in ReadOnlySequence<byte> first, ref ReadOnlySequence<byte> buffer)
    {
        if (!visitor.Visit(first))
        {
            return;
        }

        // A line over the limit or a partial line stops the batch; the next read finds it where it is.
        ReadOnlySequence<byte> rest = buffer;
        while (LineFramer.TryReadLine(ref rest, _options.MaxLineBytes, out ReadOnlySequence<byte> line) == LineStatus.Complete)
        {
            buffer = rest;
            if (!visitor.Visit(line))
            {
                return;
            }
        }
    }

    /// <summary>
    /// True when bytes not yet returned as a message are buffered, or the stream has ended: <see cref="ReadAsync"/> will
    /// not wait for the network to make progress. A caller that holds many quiet connections waits for data by cheaper
    /// means (<see cref="Transport.IServerConnection.WaitForDataAsync"/>) while this is false.
    /// </summary>
    public bool HasBufferedInput()
    {
        if (!_input.TryRead(out ReadResult result))
        {
            return false;
        }

        bool buffered = !result.Buffer.IsEmpty || result.IsCompleted || result.IsCanceled;
        _input.AdvanceTo(result.Buffer.Start); // Nothing consumed, nothing examined: the next read sees it all.
        return buffered;
    }

    private async ValueTask<ReadResult> ReadUntilAsync(long flushDeadline, CancellationToken cancellationToken)
    {
        if (flushDeadline == 0)
        {
            return await _input.ReadAsync(cancellationToken);
        }

        TimeSpan dueIn = _time.GetElapsedTime(_time.GetTimestamp(), flushDeadline);
        // CancelPendingRead ends the wait with IsCanceled rather than an exception and leaves the pipe usable.
        using ITimer timer = _time.CreateTimer(
            static state => ((PipeReader)state!).CancelPendingRead(),
            _input,
            dueIn > TimeSpan.Zero ? dueIn : TimeSpan.Zero,
            Timeout.InfiniteTimeSpan);
        return await _input.ReadAsync(cancellationToken);
    }
}
