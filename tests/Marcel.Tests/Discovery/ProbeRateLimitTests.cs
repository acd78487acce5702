using Marcel.Core.Discovery;
using Microsoft.Extensions.Time.Testing;

namespace Marcel.Tests.Discovery;

/// <summary>RFC 6762 §8.1's limit on probing after many conflicts, on a fake clock.</summary>
public class ProbeRateLimitTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly ProbeRateLimit _limit = new();

    [Fact]
    public void Fourteen_conflicts_in_ten_seconds_leave_probing_at_full_speed()
    {
        Conflicts(14, TimeSpan.FromMilliseconds(500));
        Assert.Equal(TimeSpan.Zero, _limit.PauseBeforeProbe(_clock.GetUtcNow()));
    }

    [Fact]
    public void Fifteen_conflicts_in_ten_seconds_make_each_further_probe_wait_five_seconds()
    {
        Conflicts(15, TimeSpan.FromMilliseconds(600));
        Assert.Equal(TimeSpan.FromSeconds(5), _limit.PauseBeforeProbe(_clock.GetUtcNow()));

        // Conflicts still coming, each after the five-second wait: every probe keeps waiting.
        for (int i = 0; i < 5; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(5.75));
            _limit.Conflict(_clock.GetUtcNow());
            Assert.Equal(TimeSpan.FromSeconds(5), _limit.PauseBeforeProbe(_clock.GetUtcNow()));
        }
    }

    [Fact]
    public void Conflicts_ten_seconds_apart_never_slow_probing()
    {
        Conflicts(30, TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.Zero, _limit.PauseBeforeProbe(_clock.GetUtcNow()));
    }

    [Fact]
    public void Ten_quiet_seconds_lift_the_limit()
    {
        Conflicts(15, TimeSpan.FromMilliseconds(100));
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.Zero, _limit.PauseBeforeProbe(_clock.GetUtcNow()));
        _limit.Conflict(_clock.GetUtcNow());
        Assert.Equal(TimeSpan.Zero, _limit.PauseBeforeProbe(_clock.GetUtcNow()));
    }

    private void Conflicts(int count, TimeSpan apart)
    {
        for (int i = 0; i < count; i++)
        {
            _clock.Advance(apart);
            _limit.Conflict(_clock.GetUtcNow());
        }
    }
}
