using Microsoft.Extensions.Logging;

namespace Marcel.Core.Discovery;

/// <summary>
/// One way to do DNS-SD over multicast DNS on this machine: the built-in responder and querier
/// (<see cref="BuiltInDiscovery"/>), or the system's daemon where one owns port 5353 (Avahi over D-Bus).
/// Both keep one contract (tests/Marcel.Tests/Discovery/DiscoveryContractTests).
/// </summary>
public interface IServiceDiscovery
{
    /// <summary>A short name for messages: <c>built-in</c>, <c>Avahi</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Announces <paramref name="announcement"/> on <paramref name="interfaces"/> (those a server listens on, never
    /// empty); returns once the name is held (probed, renamed on a conflict) and announced.
    /// </summary>
    Task<IAnnouncement> AnnounceAsync(
        ServiceAnnouncement announcement, IReadOnlyList<MdnsInterface> interfaces, ILoggerFactory logging, CancellationToken cancellationToken);

    /// <summary>Starts browsing <paramref name="serviceTypes"/> (e.g. <c>_marcel._tcp</c> and <c>_marcel._udp</c>).</summary>
    Task<IServiceBrowser> BrowseAsync(IReadOnlyList<string> serviceTypes, ILoggerFactory logging, CancellationToken cancellationToken);
}
