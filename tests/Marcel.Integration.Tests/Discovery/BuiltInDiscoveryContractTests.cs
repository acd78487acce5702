using Marcel.Tests.Support;

namespace Marcel.Tests.Discovery;

/// <summary>The contract with Marcel's own responder and querier (<c>--mdns builtin</c>).</summary>
public sealed class BuiltInDiscoveryContractTests : DiscoveryContractTests
{
    protected override string Stack => "builtin";

    protected override string Via => "Marcel's own mDNS";

    protected override IReadOnlyList<string> KilledServerOptions => ["--announce-ttl", "2"];

    private protected override Task<LanHost> PrepareAsync(LanHost host) => Task.FromResult(host);
}
