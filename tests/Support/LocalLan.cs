using System.Diagnostics;
using System.Net;

namespace Marcel.Tests.Support;

/// <summary>
/// A small LAN of network namespaces: a switch namespace holding a bridge, and host namespaces each joined to it by
/// a veth pair, all on 10.232.N.0/24. Nothing joins the root namespace, so multicast (and anything else) sent on this
/// LAN never leaves it. Needs root and iproute2; skips (fails under CI=true) when namespaces are not permitted.
/// </summary>
internal sealed class LocalLan : IDisposable
{
    private readonly string _id;
    private readonly int _subnet;
    private readonly List<string> _namespaces = [];

    private LocalLan(string id, int subnet)
    {
        _id = id;
        _subnet = subnet;
    }

    /// <summary>The hosts added so far.</summary>
    public List<LanHost> Hosts { get; } = [];

    public static LocalLan Create()
    {
        ExternalProgram.Require("ip");
        var lan = new LocalLan(Convert.ToHexString(BitConverter.GetBytes(Random.Shared.Next())).ToLowerInvariant()[..6], Random.Shared.Next(0, 256));
        string @switch = $"mlan-{lan._id}-sw";
        if (Ip(["netns", "add", @switch]) is { } refused)
        {
            string reason = $"cannot create a network namespace (needs root): {refused}";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail(reason);
            }

            Assert.Skip(reason);
        }

        lan._namespaces.Add(@switch);
        try
        {
            Must(["-n", @switch, "link", "add", "br0", "type", "bridge"]);
            Must(["-n", @switch, "link", "set", "br0", "up"]);
        }
        catch
        {
            lan.Dispose();
            throw;
        }

        return lan;
    }

    /// <summary>Adds a host namespace on the LAN, its interface up with the next address.</summary>
    public LanHost AddHost()
    {
        int n = Hosts.Count + 1;
        string ns = $"mlan-{_id}-h{n}";
        string @switch = _namespaces[0];
        Must(["netns", "add", ns]);
        _namespaces.Add(ns);
        var host = new LanHost(ns, IPAddress.Parse($"10.232.{_subnet}.{n}"));
        Must(["link", "add", "eth0", "netns", ns, "type", "veth", "peer", "name", $"p{n}", "netns", @switch]);
        Must(["-n", @switch, "link", "set", $"p{n}", "master", "br0"]);
        Must(["-n", @switch, "link", "set", $"p{n}", "up"]);
        Must(["-n", ns, "addr", "add", $"{host.Address}/24", "dev", "eth0"]);
        Must(["-n", ns, "link", "set", "eth0", "up"]);
        Must(["-n", ns, "link", "set", "lo", "up"]);
        Hosts.Add(host);
        return host;
    }

    public void Dispose()
    {
        // Deleting a namespace deletes its veth ends and with them the pairs.
        foreach (string ns in Enumerable.Reverse(_namespaces))
        {
            _ = Ip(["netns", "del", ns]);
        }
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
