using Marcel.Tests.Support;

namespace Marcel.Tests.Discovery;

/// <summary>
/// The contract through a real avahi-daemon 0.8 on each host, each on a private D-Bus system bus (<c>--mdns avahi</c>:
/// marcel registers and browses over D-Bus and opens no mDNS socket of its own).
/// </summary>
public sealed class AvahiDiscoveryContractTests : DiscoveryContractTests
{
    protected override string Stack => "avahi";

    protected override string Via => "through avahi 0.8";

    protected override IReadOnlyList<string> KilledServerOptions => [];

    private protected override async Task<LanHost> PrepareAsync(LanHost host)
    {
        Own(await AvahiPeer.StartAsync(host));
        return host;
    }
}
