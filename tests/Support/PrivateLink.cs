using System.Net;

namespace Marcel.Tests.Support;

/// <summary>
/// A network namespace of our own joined to the root namespace by a veth pair that exists only on this machine:
/// 10.231.N.1 (root side) ↔ 10.231.N.2 (namespace side). A peer inside the namespace can vanish without FIN or RST
/// by taking its side of the link down, which loopback cannot do. Traffic goes only over this private link.
/// Needs root and iproute2; skips (fails under CI=true) when namespaces are not permitted.
/// </summary>
internal sealed class PrivateLink : IDisposable
{
    private readonly string _rootSide;

    private PrivateLink(string ns, string rootSide, string nsSide, IPAddress rootAddress)
    {
        Namespace = ns;
        _rootSide = rootSide;
        NamespaceSide = nsSide;
        RootAddress = rootAddress;
    }

    /// <summary>The namespace's name.</summary>
    public string Namespace { get; }

    /// <summary>The veth end inside the namespace.</summary>
    public string NamespaceSide { get; }

    /// <summary>The root side's address: where a server listens for the namespace's clients.</summary>
    public IPAddress RootAddress { get; }

    public static PrivateLink Create()
    {
        string id = Convert.ToHexString(BitConverter.GetBytes(Random.Shared.Next())).ToLowerInvariant()[..6];
        int subnet = Random.Shared.Next(0, 64) * 4; // A /30 of its own, so concurrent runs rarely share one.
        int third = Random.Shared.Next(0, 256);
        var link = new PrivateLink($"marcel-{id}", $"mrc{id}a", $"mrc{id}b", IPAddress.Parse($"10.231.{third}.{subnet + 1}"));
        IpCommand.AddNamespaceOrSkip(link.Namespace);
        try
        {
            IpCommand.Must(["link", "add", link._rootSide, "type", "veth", "peer", "name", link.NamespaceSide, "netns", link.Namespace]);
            IpCommand.Must(["addr", "add", $"{link.RootAddress}/30", "dev", link._rootSide]);
            IpCommand.Must(["link", "set", link._rootSide, "up"]);
            IpCommand.Must(["-n", link.Namespace, "addr", "add", $"10.231.{third}.{subnet + 2}/30", "dev", link.NamespaceSide]);
            IpCommand.Must(["-n", link.Namespace, "link", "set", link.NamespaceSide, "up"]);
            IpCommand.Must(["-n", link.Namespace, "link", "set", "lo", "up"]);
        }
        catch
        {
            link.Dispose();
            throw;
        }

        return link;
    }

    /// <summary>Starts <paramref name="program"/> inside the namespace.</summary>
    public PeerProcess Start(string program, params string[] arguments) =>
        PeerProcess.Start("ip", ["netns", "exec", Namespace, program, .. arguments]);

    /// <summary>Takes the namespace's end of the link down: its peers vanish silently, nothing reaches the root side again.</summary>
    public void CutNamespaceSide() => IpCommand.Must(["-n", Namespace, "link", "set", NamespaceSide, "down"]);

    public void Dispose()
    {
        // Deleting the namespace deletes its veth end and with it the pair.
        _ = IpCommand.Run(["link", "del", _rootSide]);
        _ = IpCommand.Run(["netns", "del", Namespace]);
    }
}
