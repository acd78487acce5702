using System.Net;
using Microsoft.Extensions.Logging;

namespace Marcel.Core.Discovery;

/// <summary>
/// The built-in DNS-SD querier for one or more service types (RFC 6762 §5.2): asks the link at once, then again after 1, 2,
/// 4… seconds (at most every minute), and again as cached records near the end of their TTL (at 80, 85, 90 and 95 %,
/// §5.2); keeps what answers say in a <see cref="ServiceCache"/> per type. Only responses from port 5353 count (§6), so a
/// stray unicast cannot inject an instance. Malformed packets and floods are dropped or bounded by the cache.
/// </summary>
public sealed class MdnsBrowser : IServiceBrowser
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxQueryInterval = TimeSpan.FromMinutes(1);

    private readonly MdnsSocket _socket;
    private readonly ServiceCache[] _caches;
    private readonly string[] _typeNames;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _changed = new(0);
    private Task _receiving = Task.CompletedTask;
    private Task _querying = Task.CompletedTask;
    private IReadOnlyList<ServiceInstance> _instances = [];

    private MdnsBrowser(MdnsSocket socket, IReadOnlyList<string> serviceTypes, ILogger logger, TimeProvider time)
    {
        _socket = socket;
        _caches = [.. serviceTypes.Select(t => new ServiceCache(t, time))];
        _typeNames = [.. serviceTypes.Select(MarcelService.TypeName)];
        _logger = logger;
        _time = time;
    }

    /// <summary>Starts browsing <paramref name="serviceTypes"/> on <paramref name="interfaces"/>.</summary>
    public static MdnsBrowser Start(IReadOnlyList<string> serviceTypes, IReadOnlyList<MdnsInterface> interfaces, ILogger logger, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(serviceTypes);
        var browser = new MdnsBrowser(MdnsSocket.Open(interfaces, fallBackToEphemeral: true), serviceTypes, logger, time ?? TimeProvider.System);
        browser._receiving = Task.Run(browser.ReceiveLoopAsync, CancellationToken.None);
        browser._querying = Task.Run(browser.QueryLoopAsync, CancellationToken.None);
        return browser;
    }

    /// <inheritdoc/>
    public IReadOnlyList<ServiceInstance> Instances
    {
        get
        {
            lock (_gate) return _instances;
        }
    }

    /// <inheritdoc/>
    public Task WaitForChangeAsync(CancellationToken cancellationToken) => _changed.WaitAsync(cancellationToken);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        await Task.WhenAll(_receiving, _querying);
        _stop.Dispose();
        _changed.Dispose();
    }

    // Responses only (queries carry nothing to believe), and only from port 5353 (MdnsReceiveLoop).
    private Task ReceiveLoopAsync() => MdnsReceiveLoop.RunAsync(_socket, OnMessageAsync, _logger, _stop.Token);

    private Task OnMessageAsync(DnsMessage message, IPEndPoint from, MdnsInterface via)
    {
        if (message.IsResponse)
        {
            Update(cache => cache.Observe(message));
        }

        return Task.CompletedTask;
    }

    private async Task QueryLoopAsync()
    {
        try
        {
            TimeSpan interval = TimeSpan.FromSeconds(1);
            DateTimeOffset next = _time.GetUtcNow();
            while (!_stop.IsCancellationRequested)
            {
                DateTimeOffset now = _time.GetUtcNow();
                bool refresh;
                lock (_gate) refresh = _caches.Select(c => c.DueForRefresh()).ToArray().Any(due => due); // Each cache moves on a step.
                if (now >= next || refresh)
                {
                    await QueryAsync();
                    if (now >= next)
                    {
                        next = now + interval;
                        interval = TimeSpan.FromTicks(Math.Min(interval.Ticks * 2, MaxQueryInterval.Ticks));
                    }
                }

                await Task.Delay(Tick, _time, _stop.Token);
                Update(cache => cache.Expire());
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task QueryAsync()
    {
        // QU on the first query only when the port could not be shared: then the answers must come by unicast.
        byte[] query = DnsCodec.Write(new DnsMessage { Questions = [.. _typeNames.Select(t => new DnsQuestion(t, DnsRecordType.ServicePointer, !_socket.OnSharedPort))] });
        foreach (MdnsInterface via in _socket.Interfaces)
        {
            await _socket.SendAsync(query, via, null, _stop.Token);
        }
    }

    private void Update(Action<ServiceCache> change)
    {
        bool changed;
        lock (_gate)
        {
            foreach (ServiceCache cache in _caches)
            {
                change(cache);
            }

            IReadOnlyList<ServiceInstance> instances = [.. _caches.SelectMany(c => c.Instances())];
            changed = !instances.SequenceEqual(_instances, InstanceComparer.Instance);
            _instances = instances;
        }

        if (changed)
        {
            _changed.Release();
        }
    }

    private sealed class InstanceComparer : IEqualityComparer<ServiceInstance>
    {
        public static readonly InstanceComparer Instance = new();

        public bool Equals(ServiceInstance? x, ServiceInstance? y) =>
            x is not null && y is not null && x.Name == y.Name && x.ServiceType == y.ServiceType && x.HostName == y.HostName && x.Port == y.Port
            && x.Addresses.SequenceEqual(y.Addresses) && x.Txt.SequenceEqual(y.Txt);

        public int GetHashCode(ServiceInstance obj) => obj.Name.GetHashCode(StringComparison.Ordinal);
    }
}
