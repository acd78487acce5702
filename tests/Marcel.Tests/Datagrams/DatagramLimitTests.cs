using System.Net;
using Marcel.Core.Transport;
using Microsoft.Extensions.Time.Testing;

namespace Marcel.Tests.Datagrams;

public class DatagramLimitTests
{
    [Fact]
    public void An_unverified_peer_gets_at_most_three_times_what_it_sent_plus_the_allowance()
    {
        var limit = new AmplificationLimit();
        limit.Received(10);
        int budget = (AmplificationLimit.Factor * 10) + AmplificationLimit.AllowanceBytes;
        Assert.True(limit.TrySend(budget - 1));
        Assert.False(limit.TrySend(2));
        Assert.True(limit.TrySend(1));
        Assert.False(limit.TrySend(1));
        Assert.Equal(budget, limit.UnverifiedBytesSent);
    }

    [Fact]
    public void A_second_datagram_verifies_the_peer_and_lifts_the_limit()
    {
        var limit = new AmplificationLimit();
        Assert.False(limit.Received(1));
        Assert.False(limit.TrySend(10_000));
        Assert.True(limit.Received(0));
        Assert.True(limit.Verified);
        Assert.True(limit.TrySend(10_000));
    }

    [Fact]
    public void A_stranger_is_answered_once_per_interval_whatever_port_it_uses()
    {
        var time = new FakeTimeProvider();
        var limiter = new TurnAwayLimiter(time);
        IPAddress stranger = IPAddress.Parse("192.0.2.7");
        Assert.True(limiter.TryAnswer(stranger));
        Assert.False(limiter.TryAnswer(stranger));
        time.Advance(TurnAwayLimiter.PerAddressInterval - TimeSpan.FromMilliseconds(1));
        Assert.False(limiter.TryAnswer(stranger));
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(limiter.TryAnswer(stranger));
    }

    [Fact]
    public void Strangers_together_get_at_most_the_global_budget_per_second()
    {
        var time = new FakeTimeProvider();
        var limiter = new TurnAwayLimiter(time);
        int answered = Enumerable.Range(1, 1000).Count(i => limiter.TryAnswer(new IPAddress(0x0A000000 + i)));
        Assert.Equal(TurnAwayLimiter.AnswersPerSecond, answered);
        time.Advance(TimeSpan.FromSeconds(1));
        answered = Enumerable.Range(2000, 1000).Count(i => limiter.TryAnswer(new IPAddress(0x0A000000 + i)));
        Assert.Equal(TurnAwayLimiter.AnswersPerSecond, answered);
    }
}
