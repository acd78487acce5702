using System.Net;

namespace Marcel.Core.Transport;

/// <summary>
/// A per-IP rate limit with bounded memory: each address may act <see cref="Burst"/> times at once, then once per
/// <see cref="Interval"/> (a token bucket, kept as the time its bucket is full again: the generic cell rate algorithm).
/// The address is the IP alone: over UDP a sender picks any port, and may forge the address too. Past
/// <see cref="MaxTracked"/> addresses with a bucket not yet full, a new address is refused: memory never grows with a
/// flood of forged sources. Thread-safe.
/// </summary>
public sealed class AddressRateLimit
{
    private readonly TimeProvider _time;
    private readonly long _interval;
    private readonly long _burstSpan;
    private readonly Lock _lock = new();

    // When each address's bucket is full again (TimeProvider timestamps); an entry at or before now is forgettable.
    private readonly Dictionary<IPAddress, long> _fullAt = [];

    /// <summary>A limit of <paramref name="burst"/> actions at once per address, refilled one per <paramref name="interval"/>.</summary>
    public AddressRateLimit(TimeProvider time, int burst, TimeSpan interval, int maxTracked)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTracked, 1);
        _time = time;
        Burst = burst;
        Interval = interval;
        MaxTracked = maxTracked;
        _interval = (long)(interval.Ticks * (time.TimestampFrequency / (double)TimeSpan.TicksPerSecond));
        _burstSpan = (burst - 1) * _interval;
    }

    /// <summary>Actions one address may take at once.</summary>
    public int Burst { get; }

    /// <summary>One more action per address after each interval.</summary>
    public TimeSpan Interval { get; }

    /// <summary>Addresses remembered at once.</summary>
    public int MaxTracked { get; }

    /// <summary>True (and counted) when <paramref name="address"/> may act now.</summary>
    public bool TryTake(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        lock (_lock)
        {
            long now = _time.GetTimestamp();
            bool known = _fullAt.TryGetValue(address, out long fullAt);
            long start = known ? Math.Max(fullAt, now) : now;
            if (start - now > _burstSpan || (!known && !MakeRoom(now)))
            {
                return false;
            }

            _fullAt[address] = start + _interval;
            return true;
        }
    }

    private bool MakeRoom(long now)
    {
        if (_fullAt.Count < MaxTracked)
        {
            return true;
        }

        foreach ((IPAddress old, long fullAt) in _fullAt)
        {
            if (fullAt <= now)
            {
                _fullAt.Remove(old);
            }
        }

        return _fullAt.Count < MaxTracked;
    }
}
