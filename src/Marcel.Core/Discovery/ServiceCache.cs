using System.Net;

namespace Marcel.Core.Discovery;

/// <summary>
/// What a querier has heard about one service type (RFC 6762 §10): PTR, SRV, TXT and the addresses of each
/// instance, each until its TTL runs out or a goodbye (TTL 0) arrives. Pure: messages in, instances out, the clock
/// given. Only instances named by a PTR record of the browsed type exist here, so an answer for another service,
/// however crafted, never becomes something to connect to. Bounded: at <see cref="MaxInstances"/> a new name takes the
/// place of the oldest incomplete one (no SRV or no address yet: a flood of bare PTRs never locks a real server out),
/// and is ignored when every one held is complete; each instance keeps at most <see cref="MaxAddresses"/> addresses.
/// </summary>
public sealed class ServiceCache
{
    /// <summary>Most instances held at once: a flood of made-up names costs no more.</summary>
    public const int MaxInstances = 256;

    /// <summary>Most addresses kept per instance.</summary>
    public const int MaxAddresses = 8;

    private readonly string _serviceType;
    private readonly string _typeName;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.OrdinalIgnoreCase);
    private long _added;

    /// <summary>A cache for <paramref name="serviceType"/> (e.g. <c>_marcel._tcp</c>) on the clock <paramref name="time"/>.</summary>
    public ServiceCache(string serviceType, TimeProvider time)
    {
        _serviceType = serviceType;
        _typeName = MarcelService.TypeName(serviceType);
        _time = time;
    }

    /// <summary>The instances complete enough to connect to (PTR, SRV and an address alive), by name.</summary>
    public IReadOnlyList<ServiceInstance> Instances()
    {
        DateTimeOffset now = _time.GetUtcNow();
        var instances = new List<ServiceInstance>();
        foreach ((string fullName, Entry entry) in _entries)
        {
            IPAddress[] addresses = entry.Addresses.Where(a => a.Value > now).Select(a => a.Key)
                .OrderBy(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 0 : 1).ToArray();
            if (entry.PointerExpires > now && entry.Srv is { } srv && entry.SrvExpires > now && addresses.Length > 0)
            {
                instances.Add(new ServiceInstance
                {
                    Name = MarcelService.InstanceOf(fullName, _serviceType)!,
                    ServiceType = _serviceType,
                    HostName = srv.Target,
                    Port = srv.Port,
                    Addresses = addresses,
                    Txt = entry.TxtExpires > now ? entry.Txt : [],
                });
            }
        }

        return instances.OrderBy(i => i.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>The earliest moment something held expires, or null when the cache is empty.</summary>
    public DateTimeOffset? NextExpiry => _entries.Count == 0 ? null : _entries.Values.Min(e => e.EarliestExpiry());

    /// <summary>
    /// True when an instance has reached 80, 85, 90 or 95 % of its PTR's TTL without a fresh answer (RFC 6762 §5.2):
    /// the querier should ask again. Each call moves those instances on to their next step.
    /// </summary>
    public bool DueForRefresh()
    {
        DateTimeOffset now = _time.GetUtcNow();
        bool due = false;
        foreach (Entry entry in _entries.Values)
        {
            if (entry.RefreshAt <= now && entry.RefreshAt < entry.PointerExpires - (entry.Ttl * 0.04))
            {
                entry.RefreshAt += entry.Ttl * 0.05;
                due = true;
            }
        }

        return due;
    }

    /// <summary>Takes in what a response says; queries and records of other names are ignored.</summary>
    public void Observe(DnsMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!message.IsResponse)
        {
            return;
        }

        DateTimeOffset now = _time.GetUtcNow();
        DnsRecord[] records = message.AllRecords.ToArray();
        foreach (DnsRecord record in records)
        {
            if (record.Type == DnsRecordType.ServicePointer && DnsNames.Same(record.Name, _typeName) && record.PtrTarget() is { } target
                && MarcelService.InstanceOf(target, _serviceType) is not null)
            {
                ObservePointer(target, record.Ttl, now);
            }
        }

        foreach (DnsRecord record in records)
        {
            if (_entries.TryGetValue(record.Name, out Entry? entry))
            {
                ObserveInstanceRecord(record.Name, entry, record, now);
            }
        }

        // Addresses go to the instances whose SRV came in the same message (two hosts may share a name, as two network
        // namespaces of one machine do); a message of addresses alone refreshes every instance on that host.
        string[] withSrv = records.Where(r => r.Type == DnsRecordType.Srv).Select(r => r.Name).ToArray();
        foreach ((string name, Entry entry) in _entries)
        {
            if (entry.Srv is { } srv && (withSrv.Length == 0 || withSrv.Contains(name, StringComparer.OrdinalIgnoreCase)))
            {
                ObserveAddresses(entry, records.Where(r => DnsNames.Same(r.Name, srv.Target)).ToArray(), now);
            }
        }
    }

    /// <summary>Drops what has expired.</summary>
    public void Expire()
    {
        DateTimeOffset now = _time.GetUtcNow();
        foreach ((string name, Entry entry) in _entries.ToArray())
        {
            foreach (IPAddress address in entry.Addresses.Where(a => a.Value <= now).Select(a => a.Key).ToArray())
            {
                entry.Addresses.Remove(address);
            }

            if (entry.PointerExpires <= now || (entry.Srv is not null && entry.SrvExpires <= now))
            {
                _entries.Remove(name);
            }
        }
    }

    private void ObservePointer(string target, uint ttl, DateTimeOffset now)
    {
        if (ttl == 0)
        {
            _entries.Remove(target); // A goodbye: gone at once.
            return;
        }

        if (!_entries.TryGetValue(target, out Entry? entry))
        {
            if (_entries.Count >= MaxInstances && !EvictIncomplete(now))
            {
                return;
            }

            _entries[target] = entry = new Entry { Order = _added++ };
        }

        entry.PointerExpires = now + TimeSpan.FromSeconds(ttl);
        entry.Ttl = TimeSpan.FromSeconds(ttl);
        entry.RefreshAt = now + (entry.Ttl * 0.8);
    }

    // The oldest entry nobody could connect to yet makes room; false when every entry is complete.
    private bool EvictIncomplete(DateTimeOffset now)
    {
        string? oldest = null;
        long order = long.MaxValue;
        foreach ((string name, Entry entry) in _entries)
        {
            if (!entry.IsComplete(now) && entry.Order < order)
            {
                oldest = name;
                order = entry.Order;
            }
        }

        return oldest is not null && _entries.Remove(oldest);
    }

    private void ObserveInstanceRecord(string name, Entry entry, DnsRecord record, DateTimeOffset now)
    {
        DateTimeOffset expires = now + TimeSpan.FromSeconds(record.Ttl);
        if (record.Type == DnsRecordType.Srv && record.Srv() is { } srv)
        {
            if (record.Ttl == 0)
            {
                _entries.Remove(name);
                return;
            }

            if (entry.Srv is { } old && (old.Port != srv.Port || !DnsNames.Same(old.Target, srv.Target)))
            {
                entry.Addresses.Clear(); // Another host or port: the old addresses no longer apply.
            }

            entry.Srv = srv;
            entry.SrvExpires = expires;
        }
        else if (record.Type == DnsRecordType.Txt)
        {
            entry.Txt = record.Ttl == 0 ? [] : record.TxtEntries();
            entry.TxtExpires = expires;
        }
    }

    private static void ObserveAddresses(Entry entry, DnsRecord[] records, DateTimeOffset now)
    {
        if (records.Any(r => r.CacheFlush && r.Ttl > 0 && r.AddressValue() is not null))
        {
            entry.Addresses.Clear(); // RFC 6762 §10.2: this set replaces the one held.
        }

        foreach (DnsRecord record in records)
        {
            if (record.AddressValue() is not { } address)
            {
                continue;
            }

            if (record.Ttl == 0)
            {
                entry.Addresses.Remove(address);
            }
            else if (entry.Addresses.ContainsKey(address) || entry.Addresses.Count < MaxAddresses)
            {
                entry.Addresses[address] = now + TimeSpan.FromSeconds(record.Ttl);
            }
        }
    }

    private sealed class Entry
    {
        public long Order { get; init; }

        public DateTimeOffset PointerExpires { get; set; }

        public TimeSpan Ttl { get; set; }

        public DateTimeOffset RefreshAt { get; set; }

        public (int Port, string Target)? Srv { get; set; }

        public DateTimeOffset SrvExpires { get; set; }

        public IReadOnlyList<string> Txt { get; set; } = [];

        public DateTimeOffset TxtExpires { get; set; }

        public Dictionary<IPAddress, DateTimeOffset> Addresses { get; } = [];

        public bool IsComplete(DateTimeOffset now) => Srv is not null && SrvExpires > now && Addresses.Values.Any(e => e > now);

        public DateTimeOffset EarliestExpiry()
        {
            DateTimeOffset earliest = PointerExpires;
            if (Srv is not null && SrvExpires < earliest) earliest = SrvExpires;
            foreach (DateTimeOffset expires in Addresses.Values)
            {
                if (expires < earliest) earliest = expires;
            }

            return earliest;
        }
    }
}
