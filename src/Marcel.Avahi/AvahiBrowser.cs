using System.Net;
using System.Net.Sockets;
using Marcel.Core.Discovery;
using Microsoft.Extensions.Logging;
using Tmds.DBus.Protocol;

namespace Marcel.Avahi;

/// <summary>
/// Browsing through Avahi: one ServiceBrowser per service type; each item Avahi reports (one per interface and
/// protocol) is resolved (ResolveService) and merged by type and name into a <see cref="ServiceInstance"/>; ItemRemove
/// (a goodbye, or the TTL) takes it away. Bounded like the built-in querier: at most
/// <see cref="ServiceCache.MaxInstances"/> items, a new one taking the place of the oldest not resolved (a flood of
/// bare PTRs never locks a real server out), and a few resolves at a time, newest first (a real server that comes
/// after a flood is not queued behind the flood's resolves, each of which waits for Avahi's timeout).
/// </summary>
internal sealed class AvahiBrowser : IServiceBrowser
{
    private const int ConcurrentResolves = 8;

    private readonly DBusConnection _connection;
    private readonly HashSet<string> _types;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<BrowsedItem, ResolvedItem?> _items = [];
    private readonly Stack<BrowsedItem> _pending = new();
    private readonly Dictionary<BrowsedItem, long> _arrival = [];
    private readonly SemaphoreSlim _changed = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _browsers = [];
    private IDisposable? _watch;
    private IReadOnlyList<ServiceInstance> _instances = [];
    private int _resolvers;
    private long _arrived;

    private AvahiBrowser(DBusConnection connection, IReadOnlyList<string> types, ILogger logger)
    {
        _connection = connection;
        _types = new HashSet<string>(types, StringComparer.OrdinalIgnoreCase);
        _logger = logger;
    }

    /// <inheritdoc/>
    public IReadOnlyList<ServiceInstance> Instances
    {
        get
        {
            lock (_gate) return _instances;
        }
    }

    public static async Task<AvahiBrowser> StartAsync(DBusConnection connection, IReadOnlyList<string> types, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(types);
        var browser = new AvahiBrowser(connection, types, logger);
        try
        {
            // Subscribed before the browsers exist: Avahi may report cached items before ServiceBrowserNew returns its path,
            // so items are recognised by their type (Avahi sends a browser's signals to the client that made it alone).
            browser._watch = await connection.AddMatchAsync(
                new MatchRule { Type = MessageType.Signal, Sender = AvahiBus.Service, Interface = AvahiBus.ServiceBrowserInterface },
                AvahiBus.ReadBrowserSignal,
                n =>
                {
                    if (n.HasValue && n.Value is { } signal) browser.OnSignal(signal);
                },
                false, ObserverFlags.None, null);
            foreach (string type in types)
            {
                string path = await connection.CallMethodAsync(AvahiBus.ServiceBrowserNew(connection, type), static (m, _) => m.GetBodyReader().ReadObjectPathAsString(), null)
                    .WaitAsync(cancellationToken);
                lock (browser._gate) browser._browsers.Add(path);
            }

            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc/>
    public Task WaitForChangeAsync(CancellationToken cancellationToken) => _changed.WaitAsync(cancellationToken);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _watch?.Dispose();
        string[] browsers;
        lock (_gate) browsers = [.. _browsers];
        foreach (string path in browsers)
        {
            try
            {
                await _connection.CallMethodAsync(AvahiBus.Call(_connection, path, AvahiBus.ServiceBrowserInterface, "Free")).WaitAsync(TimeSpan.FromSeconds(1));
            }
            catch (Exception e) when (e is DBusExceptionBase or TimeoutException)
            {
                // The daemon or the bus went away: the browser went with it.
            }
        }
    }

    private void OnSignal(BrowserSignal signal)
    {
        if (signal.Failure is { } failure)
        {
            AvahiLog.BrowserFailed(_logger, failure);
            return;
        }

        BrowsedItem item = signal.Item!;
        if (!_types.Contains(item.Type))
        {
            return;
        }

        bool startResolver = false;
        lock (_gate)
        {
            if (!signal.IsNew)
            {
                if (!_items.Remove(item)) return;
                _arrival.Remove(item);
            }
            else if (_items.ContainsKey(item) || (_items.Count >= ServiceCache.MaxInstances && !EvictUnresolved()))
            {
                return;
            }
            else
            {
                _items.Add(item, null);
                _arrival[item] = _arrived++;
                _pending.Push(item);
                startResolver = _resolvers < ConcurrentResolves;
                if (startResolver) _resolvers++;
            }
        }

        if (startResolver)
        {
            _ = Task.Run(ResolveLoopAsync, CancellationToken.None);
        }
        else if (!signal.IsNew)
        {
            Publish();
        }
    }

    // At the cap: the oldest item not resolved makes room; false when every item held is resolved. Under _gate.
    private bool EvictUnresolved()
    {
        BrowsedItem? oldest = null;
        long order = long.MaxValue;
        foreach ((BrowsedItem item, ResolvedItem? resolved) in _items)
        {
            if (resolved is null && _arrival[item] < order)
            {
                oldest = item;
                order = _arrival[item];
            }
        }

        if (oldest is null)
        {
            return false;
        }

        _items.Remove(oldest);
        _arrival.Remove(oldest);
        if (_pending.Count > 4 * ServiceCache.MaxInstances)
        {
            // Evicted items left in the stack are skipped when popped; churn must not grow it without end.
            BrowsedItem[] live = [.. _pending.Where(p => _items.TryGetValue(p, out ResolvedItem? r) && r is null).Reverse()];
            _pending.Clear();
            foreach (BrowsedItem p in live) _pending.Push(p);
        }

        return true;
    }

    // One of at most ConcurrentResolves: resolves the newest item waiting, until none waits.
    private async Task ResolveLoopAsync()
    {
        while (true)
        {
            BrowsedItem? next = null;
            lock (_gate)
            {
                while (next is null && _pending.TryPop(out BrowsedItem? item))
                {
                    if (_items.TryGetValue(item, out ResolvedItem? resolved) && resolved is null) next = item; // Else removed or evicted meanwhile.
                }

                if (next is null || _stop.IsCancellationRequested)
                {
                    _resolvers--;
                    return;
                }
            }

            await ResolveAsync(next);
        }
    }

    private async Task ResolveAsync(BrowsedItem item)
    {
        try
        {
            ResolvedItem resolved = await _connection.CallMethodAsync(AvahiBus.ResolveService(_connection, item), AvahiBus.ReadResolved, null).WaitAsync(_stop.Token);
            lock (_gate)
            {
                if (!_items.ContainsKey(item)) return; // Removed meanwhile.
                _items[item] = resolved;
            }

            Publish();
        }
        catch (DBusErrorReplyException e)
        {
            AvahiLog.ResolveFailed(_logger, item.Name, item.Type, e.ErrorName); // Gone before it answered, or a timeout.
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or DBusExceptionBase)
        {
        }
    }

    private void Publish()
    {
        lock (_gate)
        {
            _instances = [.. _items.Values.OfType<ResolvedItem>()
                .GroupBy(r => (r.Type.ToUpperInvariant(), r.Name))
                .Select(Merge)
                .OfType<ServiceInstance>()
                .OrderBy(s => s.ServiceType, StringComparer.OrdinalIgnoreCase).ThenBy(s => s.Name, StringComparer.OrdinalIgnoreCase)];
        }

        _changed.Release();
    }

    // One instance seen on several interfaces or protocols: its addresses together, IPv4 first.
    private static ServiceInstance? Merge(IEnumerable<ResolvedItem> resolved)
    {
        ResolvedItem[] items = [.. resolved];
        IPAddress[] addresses = [.. items.Select(Address).OfType<IPAddress>().Distinct()
            .OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).Take(ServiceCache.MaxAddresses)];
        if (addresses.Length == 0)
        {
            return null;
        }

        ResolvedItem first = items[0];
        return new ServiceInstance
        {
            Name = first.Name,
            ServiceType = first.Type,
            HostName = first.Host,
            Port = first.Port,
            Addresses = addresses,
            Txt = first.Txt,
        };
    }

    // A link-local IPv6 address only means something on its interface: Avahi's interface index is its scope.
    private static IPAddress? Address(ResolvedItem item)
    {
        if (!IPAddress.TryParse(item.Address, out IPAddress? address))
        {
            return null;
        }

        if (address.IsIPv6LinkLocal && item.Interface > 0)
        {
            address.ScopeId = item.Interface;
        }

        return address;
    }
}
