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
/// <see cref="ServiceCache.MaxInstances"/> items and a few resolves at a time, so a flood costs no more.
/// </summary>
internal sealed class AvahiBrowser : IServiceBrowser
{
    private const int ConcurrentResolves = 8;

    private readonly DBusConnection _connection;
    private readonly HashSet<string> _types;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<BrowsedItem, ResolvedItem?> _items = [];
    private readonly SemaphoreSlim _resolving = new(ConcurrentResolves);
    private readonly SemaphoreSlim _changed = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _browsers = [];
    private IDisposable? _watch;
    private IReadOnlyList<ServiceInstance> _instances = [];

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

        lock (_gate)
        {
            if (!signal.IsNew)
            {
                if (!_items.Remove(item)) return;
            }
            else if (_items.Count >= ServiceCache.MaxInstances || !_items.TryAdd(item, null))
            {
                return;
            }
        }

        if (signal.IsNew)
        {
            _ = Task.Run(() => ResolveAsync(item), CancellationToken.None);
        }
        else
        {
            Publish();
        }
    }

    private async Task ResolveAsync(BrowsedItem item)
    {
        try
        {
            await _resolving.WaitAsync(_stop.Token);
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
            finally
            {
                _resolving.Release();
            }
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
