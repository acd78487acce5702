namespace Marcel.Core.Discovery;

/// <summary>
/// RFC 6762 §8.1: "if fifteen conflicts occur within any ten-second period, then the host MUST wait at least five
/// seconds before each successive additional probe attempt", so two hosts that keep fighting over a name (or a peer
/// that claims every name tried) cost the link a probe every five seconds, not four a second. As Apple's
/// mDNSResponder counts them: conflicts less than ten seconds apart add up; ten quiet seconds start the count again.
/// Pure: the clock is given.
/// </summary>
internal sealed class ProbeRateLimit
{
    /// <summary>Conflicts, each within <see cref="Window"/> of the one before, that start the pauses.</summary>
    public const int MaxConflicts = 15;

    /// <summary>A conflict this long after the last one starts the count again.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    /// <summary>The wait before each further probe while the limit holds.</summary>
    public static readonly TimeSpan Pause = TimeSpan.FromSeconds(5);

    private int _count;
    private DateTimeOffset _last = DateTimeOffset.MinValue;

    /// <summary>Counts a conflict found at <paramref name="now"/>.</summary>
    public void Conflict(DateTimeOffset now)
    {
        if (now - _last >= Window)
        {
            _count = 0;
        }

        _count++;
        _last = now;
    }

    /// <summary><see cref="Pause"/> once <see cref="MaxConflicts"/> conflicts came close together and the last is under <see cref="Window"/> old; else zero.</summary>
    public TimeSpan PauseBeforeProbe(DateTimeOffset now) =>
        _count >= MaxConflicts && now - _last < Window ? Pause : TimeSpan.Zero;
}
