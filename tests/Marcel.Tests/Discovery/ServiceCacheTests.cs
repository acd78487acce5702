using System.Net;
using Marcel.Core.Discovery;
using Microsoft.Extensions.Time.Testing;

namespace Marcel.Tests.Discovery;

/// <summary>The querier's cache on a fake clock: TTLs, goodbyes, refreshes, and what it refuses to believe.</summary>
public class ServiceCacheTests
{
    private const string Type = MarcelService.TcpType;

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void An_announced_instance_is_listed_with_its_port_address_and_TXT()
    {
        ServiceCache cache = CacheWith(Announcement("Marcel @ pc", 50000, "10.0.0.7", 120));
        ServiceInstance instance = Assert.Single(cache.Instances());
        Assert.Equal("Marcel @ pc", instance.Name);
        Assert.Equal(50000, instance.Port);
        Assert.Equal([IPAddress.Parse("10.0.0.7")], instance.Addresses);
        Assert.Equal("chat", instance.Mode);
        Assert.True(instance.Tls);
        Assert.Equal(string.Join(':', Enumerable.Repeat("AB", 32)), instance.Fingerprint);
    }

    [Fact]
    public void An_instance_not_heard_again_leaves_when_its_TTL_runs_out_and_not_before()
    {
        ServiceCache cache = CacheWith(Announcement("Marcel @ pc", 50000, "10.0.0.7", 120));
        _clock.Advance(TimeSpan.FromSeconds(119));
        cache.Expire();
        Assert.Single(cache.Instances());
        _clock.Advance(TimeSpan.FromSeconds(1));
        cache.Expire();
        Assert.Empty(cache.Instances());
    }

    [Fact]
    public void A_fresh_answer_pushes_the_expiry_back()
    {
        ServiceCache cache = CacheWith(Announcement("Marcel @ pc", 50000, "10.0.0.7", 120));
        _clock.Advance(TimeSpan.FromSeconds(100));
        cache.Observe(Announcement("Marcel @ pc", 50000, "10.0.0.7", 120));
        _clock.Advance(TimeSpan.FromSeconds(100));
        cache.Expire();
        Assert.Single(cache.Instances());
    }

    [Fact]
    public void A_goodbye_removes_the_instance_at_once()
    {
        ServiceCache cache = CacheWith(Announcement("Marcel @ pc", 50000, "10.0.0.7", 120));
        DnsMessage announced = Announcement("Marcel @ pc", 50000, "10.0.0.7", 120);
        cache.Observe(announced with { Answers = [.. announced.Answers.Select(r => r.WithTtl(0))] });
        Assert.Empty(cache.Instances());
    }

    [Fact]
    public void The_querier_asks_again_at_80_85_90_and_95_percent_of_the_TTL()
    {
        ServiceCache cache = CacheWith(Announcement("Marcel @ pc", 50000, "10.0.0.7", 100));
        var due = new List<int>();
        for (int second = 1; second <= 100; second++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            if (cache.DueForRefresh()) due.Add(second);
        }

        Assert.Equal([80, 85, 90, 95], due);
    }

    [Fact]
    public void Answers_for_other_service_types_never_become_instances()
    {
        DnsMessage http = Announcement("Printer", 631, "10.0.0.9", 120, "_ipp._tcp");
        ServiceCache cache = CacheWith(http);
        Assert.Empty(cache.Instances());

        // An SRV and address under the _marcel name but no PTR of _marcel._tcp: nothing was announced.
        DnsMessage marcel = Announcement("Fake", 22, "10.0.0.9", 120);
        cache.Observe(marcel with { Answers = [.. marcel.Answers.Where(r => r.Type != DnsRecordType.ServicePointer)] });
        Assert.Empty(cache.Instances());

        // A PTR of _marcel._tcp pointing at a name of another type.
        cache.Observe(new DnsMessage { IsResponse = true, Answers = [DnsRecord.ServicePointer("_marcel._tcp.local", "Printer._ipp._tcp.local", 120)] });
        Assert.Empty(cache.Instances());
    }

    [Fact]
    public void A_query_carrying_records_is_not_believed_as_an_answer()
    {
        DnsMessage announced = Announcement("Marcel @ pc", 50000, "10.0.0.7", 120);
        Assert.Empty(CacheWith(announced with { IsResponse = false }).Instances());
    }

    [Fact]
    public void A_flood_of_made_up_instances_is_capped()
    {
        ServiceCache cache = CacheWith();
        for (int i = 0; i < 5000; i++)
        {
            cache.Observe(Announcement($"flood {i}", 1000 + i, "10.0.0.8", 120));
        }

        Assert.Equal(ServiceCache.MaxInstances, cache.Instances().Count);
    }

    [Fact]
    public void A_flood_of_pointers_to_nothing_never_locks_a_real_server_out()
    {
        ServiceCache cache = CacheWith();
        for (int i = 0; i < 5000; i++)
        {
            cache.Observe(new DnsMessage
            {
                IsResponse = true,
                Answers = [DnsRecord.ServicePointer(MarcelService.TypeName(Type), MarcelService.FullName($"ghost {i}", Type), 120)],
            });
        }

        cache.Observe(Announcement("Marcel @ pc", 50000, "10.0.0.7", 120));
        Assert.Equal("Marcel @ pc", Assert.Single(cache.Instances()).Name);

        // The flood goes on: the complete instance is never the one that makes room.
        for (int i = 5000; i < 6000; i++)
        {
            cache.Observe(new DnsMessage
            {
                IsResponse = true,
                Answers = [DnsRecord.ServicePointer(MarcelService.TypeName(Type), MarcelService.FullName($"ghost {i}", Type), 120)],
            });
        }

        Assert.Equal("Marcel @ pc", Assert.Single(cache.Instances()).Name);
    }

    [Fact]
    public void When_every_instance_held_is_complete_a_new_name_is_ignored()
    {
        ServiceCache cache = CacheWith();
        for (int i = 0; i < ServiceCache.MaxInstances; i++)
        {
            cache.Observe(Announcement($"real {i}", 1000 + i, "10.0.0.8", 120));
        }

        cache.Observe(Announcement("late", 999, "10.0.0.9", 120));
        Assert.Equal(ServiceCache.MaxInstances, cache.Instances().Count);
        Assert.DoesNotContain(cache.Instances(), i => i.Name == "late");
    }

    [Fact]
    public void Two_hosts_of_one_name_keep_their_own_addresses()
    {
        // Two network namespaces of one machine announce the same host name with their own addresses.
        ServiceCache cache = CacheWith(Announcement("A", 1, "10.0.0.1", 120), Announcement("B", 2, "10.0.0.2", 120));
        Assert.Equal(["10.0.0.1", "10.0.0.2"], cache.Instances().Select(i => i.Addresses.Single().ToString()));
    }

    private ServiceCache CacheWith(params DnsMessage[] messages)
    {
        var cache = new ServiceCache(Type, _clock);
        foreach (DnsMessage message in messages) cache.Observe(message);
        return cache;
    }

    private static DnsMessage Announcement(string instance, int port, string address, uint ttl, string type = Type)
    {
        string full = MarcelService.FullName(instance, type);
        return new DnsMessage
        {
            IsResponse = true,
            IsAuthoritative = true,
            Answers =
            [
                DnsRecord.ServicePointer(MarcelService.TypeName(type), full, ttl),
                DnsRecord.Srv(full, port, "pc.local", ttl),
                DnsRecord.Txt(full, MarcelService.Txt("chat", string.Join(':', Enumerable.Repeat("ab", 32)), null), ttl),
                DnsRecord.Address("pc.local", IPAddress.Parse(address), ttl),
            ],
        };
    }
}
