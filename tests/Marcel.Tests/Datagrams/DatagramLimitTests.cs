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

    [Fact]
    public void An_address_may_act_its_burst_at_once_then_once_per_interval_and_each_address_has_its_own()
    {
        var time = new FakeTimeProvider();
        var limit = new AddressRateLimit(time, 3, TimeSpan.FromSeconds(10), 100);
        IPAddress flooder = IPAddress.Parse("192.0.2.7");
        Assert.Equal(3, Enumerable.Range(0, 10).Count(_ => limit.TryTake(flooder)));
        Assert.True(limit.TryTake(IPAddress.Parse("192.0.2.8")));
        time.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromMilliseconds(1));
        Assert.False(limit.TryTake(flooder));
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(limit.TryTake(flooder));
        Assert.False(limit.TryTake(flooder));
        time.Advance(TimeSpan.FromMinutes(5)); // Refilled up to the burst, never beyond.
        Assert.Equal(3, Enumerable.Range(0, 10).Count(_ => limit.TryTake(flooder)));
    }

    [Fact]
    public void Past_its_table_size_a_new_address_is_refused_until_a_remembered_one_is_forgettable()
    {
        var time = new FakeTimeProvider();
        var limit = new AddressRateLimit(time, 1, TimeSpan.FromSeconds(10), 2);
        Assert.True(limit.TryTake(IPAddress.Parse("192.0.2.1")));
        Assert.True(limit.TryTake(IPAddress.Parse("192.0.2.2")));
        Assert.False(limit.TryTake(IPAddress.Parse("192.0.2.3")));
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(limit.TryTake(IPAddress.Parse("192.0.2.3")));
    }
}
