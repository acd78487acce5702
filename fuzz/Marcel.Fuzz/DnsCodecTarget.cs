using Marcel.Tests.Discovery;

namespace Marcel.Fuzz;

/// <summary>
/// Fuzz target for the DNS codec as any host on the LAN reaches it (every mDNS packet goes through it): the promises of
/// <see cref="DnsInvariants"/>, shared with the tests that replay the corpus.
/// </summary>
internal static class DnsCodecTarget
{
    public static void Run(byte[] packet)
    {
        if (DnsInvariants.Check(packet) is { } broken)
        {
            throw new InvariantException(broken);
        }
    }
}
