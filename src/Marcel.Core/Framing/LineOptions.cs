namespace Marcel.Core.Framing;

/// <summary>How lines are cut and written on one connection.</summary>
public sealed record LineOptions
{
    /// <summary>The largest line accepted, in bytes of content. Default 64 KiB; at most <see cref="MaxLineBytesCap"/>.</summary>
    public int MaxLineBytes { get; init; } = 64 * 1024;

    /// <summary>Hard cap on <see cref="MaxLineBytes"/>: a buffer an untrusted peer can make us hold.</summary>
    public const int MaxLineBytesCap = 16 * 1024 * 1024;

    /// <summary>
    /// How long a chunk without a line terminator waits for more data before it becomes a message
    /// by itself: the chapter's scripts send raw chunks and never a newline. Default 150 ms.
    /// </summary>
    public TimeSpan FlushDelay { get; init; } = TimeSpan.FromMilliseconds(150);

    /// <summary>
    /// Whether the <see cref="FlushDelay"/> rule still applies once the peer has ended a line with a newline. Default true
    /// (the dialogue server's behaviour). False for a peer known to be a line client (a chat room): its unterminated
    /// chunk is a line still on its way, which a starved server must not cut in two; it waits for its newline, the
    /// end of the stream, or the maximum line length. Peers that never send a newline (the chapter's scripts) keep the rule.
    /// </summary>
    public bool FlushAfterTerminatedLines { get; init; } = true;

    /// <summary>What ends each line we send. Default LF; CR LF for telnet-minded peers; empty for the chapter's scripts.</summary>
    public LineEnding Ending { get; init; } = LineEnding.Lf;

    /// <summary>Throws when an option is out of its documented range.</summary>
    public LineOptions Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxLineBytes, 1, nameof(MaxLineBytes));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxLineBytes, MaxLineBytesCap, nameof(MaxLineBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(FlushDelay, TimeSpan.Zero, nameof(FlushDelay));
        return this;
    }
}
