using System.Net;

namespace Marcel.Core.Transport;

/// <summary>
/// How often a datagram server answers strangers it will not serve (a "busy" or "too long" notice to an address that is
/// not its conversation): at most once per address per <see cref="PerAddressInterval"/>, and at most
/// <see cref="AnswersPerSecond"/> answers a second in all, so a flood of forged sources gets a trickle of short answers.
/// The address is the IP alone: a forger picks any port. Memory is bounded: past <see cref="MaxTracked"/> recent
/// addresses, strangers get no answer at all. Thread-safe.
/// </summary>
public sealed class TurnAwayLimiter(TimeProvider time)
{
    /// <summary>One answer per address within this interval.</summary>
    public static readonly TimeSpan PerAddressInterval = TimeSpan.FromSeconds(10);

    /// <summary>Answers per second to all strangers together (also the largest burst).</summary>
    public const int AnswersPerSecond = 20;

    /// <summary>Addresses remembered at once.</summary>
    public const int MaxTracked = 4096;

    private readonly Lock _lock = new();
    private readonly AddressRateLimit _perAddress = new(time, 1, PerAddressInterval, MaxTracked);
    private double _tokens = AnswersPerSecond;
    private long _lastRefill = time.GetTimestamp();

    /// <summary>True (and counted) when <paramref name="address"/> may be answered now.</summary>
    public bool TryAnswer(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        lock (_lock)
        {
            long now = time.GetTimestamp();
            _tokens = Math.Min(AnswersPerSecond, _tokens + (time.GetElapsedTime(_lastRefill, now).TotalSeconds * AnswersPerSecond));
            _lastRefill = now;
            // The global budget first: an address refused for it is not counted, and may be answered a moment later.
            if (_tokens < 1 || !_perAddress.TryTake(address))
            {
                return false;
            }

            _tokens--;
            return true;
        }
    }
}
