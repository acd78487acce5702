using Microsoft.Extensions.Logging;

namespace Marcel.Core.Discovery;

/// <summary>
/// DNS-SD by Marcel itself: the built-in responder (<see cref="MdnsResponder"/>) and querier (<see cref="MdnsBrowser"/>)
/// on port 5353, shared with any other mDNS stack of the machine (RFC 6762 §15.1). For machines where no mDNS daemon runs.
/// </summary>
public sealed class BuiltInDiscovery : IServiceDiscovery
{
    /// <summary>The one instance: it holds nothing.</summary>
    public static readonly BuiltInDiscovery Instance = new();

    private BuiltInDiscovery()
    {
    }

    /// <inheritdoc/>
    public string Name => "built-in";

    /// <inheritdoc/>
    public async Task<IAnnouncement> AnnounceAsync(
        ServiceAnnouncement announcement, IReadOnlyList<MdnsInterface> interfaces, ILoggerFactory logging, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(logging);
        return await MdnsResponder.StartAsync(announcement, interfaces, logging.CreateLogger<MdnsResponder>(), cancellationToken: cancellationToken);
    }

    /// <summary>Starts the querier on every interface that can multicast (<see cref="MdnsInterface.All"/>); fails when there is none.</summary>
    public Task<IServiceBrowser> BrowseAsync(IReadOnlyList<string> serviceTypes, ILoggerFactory logging, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(logging);
        IReadOnlyList<MdnsInterface> interfaces = MdnsInterface.All();
        if (interfaces.Count == 0)
        {
            throw new DiscoveryUnavailableException("No network interface can multicast.");
        }

        return Task.FromResult<IServiceBrowser>(MdnsBrowser.Start(serviceTypes, interfaces, logging.CreateLogger<MdnsBrowser>()));
    }
}
