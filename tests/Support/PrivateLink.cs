using System.Diagnostics;
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
        ExternalProgram.Require("ip");
        string id = Convert.ToHexString(BitConverter.GetBytes(Random.Shared.Next())).ToLowerInvariant()[..6];
        int subnet = Random.Shared.Next(0, 64) * 4; // A /30 of its own, so concurrent runs rarely share one.
        int third = Random.Shared.Next(0, 256);
        var link = new PrivateLink($"marcel-{id}", $"mrc{id}a", $"mrc{id}b", IPAddress.Parse($"10.231.{third}.{subnet + 1}"));
        if (Ip(["netns", "add", link.Namespace]) is { } refused)
        {
            string reason = $"cannot create a network namespace (needs root): {refused}";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail(reason);
            }

            Assert.Skip(reason);
        }

        try
        {
            Must(["link", "add", link._rootSide, "type", "veth", "peer", "name", link.NamespaceSide, "netns", link.Namespace]);
            Must(["addr", "add", $"{link.RootAddress}/30", "dev", link._rootSide]);
            Must(["link", "set", link._rootSide, "up"]);
            Must(["-n", link.Namespace, "addr", "add", $"10.231.{third}.{subnet + 2}/30", "dev", link.NamespaceSide]);
            Must(["-n", link.Namespace, "link", "set", link.NamespaceSide, "up"]);
            Must(["-n", link.Namespace, "link", "set", "lo", "up"]);
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
    public void CutNamespaceSide() => Must(["-n", Namespace, "link", "set", NamespaceSide, "down"]);

    public void Dispose()
    {
        // Deleting the namespace deletes its veth end and with it the pair.
        _ = Ip(["link", "del", _rootSide]);
        _ = Ip(["netns", "del", Namespace]);
    }

    private static void Must(string[] arguments)
    {
        if (Ip(arguments) is { } error)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', arguments)}: {error}");
        }
    }

    /// <summary>Runs <c>ip</c>; null on success, else its error text.</summary>
    private static string? Ip(string[] arguments)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeouts.Step))
        {
            process.Kill();
            return "timed out";
        }

        return process.ExitCode == 0 ? null : error.Result.Trim();
    }
}
