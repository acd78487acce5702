using System.Globalization;
using Marcel.Tests.Support;

namespace Marcel.Tests.Discovery;

/// <summary>
/// A hostile peer on the LAN (a Python script with its own socket on port 5353, inside the test's namespaces):
/// malformed packets, floods, answers for other services and half-made Marcel records.
/// </summary>
public class HostileDiscoveryTests
{
    private static readonly string Script = Path.Combine(AppContext.BaseDirectory, "Discovery", "mdns_hostile.py");

    [Fact]
    public async Task Malformed_packets_and_floods_crash_nothing_fool_no_browser_and_draw_few_answers()
    {
        ExternalProgram.Require("python3");
        using LocalLan lan = LocalLan.Create();
        LanHost serverHost = lan.AddHost();
        LanHost attacker = lan.AddHost();
        LanHost browserHost = lan.AddHost();
        (PeerProcess server, string name, int port) = await Announced.ServeAsync(serverHost, "--keep-open");
        await using (server)
        await using (PeerProcess watch = browserHost.Marcel("browse", "--watch"))
        {
            await watch.WaitForOutputAsync("+ " + name);
            await using PeerProcess flood = attacker.Start("python3", Script, "flood", attacker.Address.ToString(), "3");
            Assert.Equal(0, await flood.WaitForExitAsync(Timeouts.Process));
            string[] counts = flood.Output.Trim().Split(' ');
            int responses = int.Parse(counts[1], CultureInfo.InvariantCulture);
            int queries = int.Parse(counts[3], CultureInfo.InvariantCulture);
            TestContext.Current.TestOutputHelper?.WriteLine(flood.Output);

            // The responder answered, but at most once a second per question (RFC 6762 §6), not once per query.
            Assert.InRange(responses, 1, 10);
            Assert.True(queries > 100, $"only {queries} queries sent");

            // Still alive, still answering, and the browsers saw only the real server.
            Assert.False(server.HasExited);
            Assert.Equal([(name, "dialogue", serverHost.Address.ToString(), port)], await Announced.BrowseAsync(browserHost));
            Assert.Equal(["+ " + name], watch.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[..(2 + name.Length)]));
            Assert.False(watch.HasExited);
        }
    }

    [Fact]
    public async Task Connect_never_connects_to_a_service_that_did_not_announce_marcel()
    {
        ExternalProgram.Require("python3");
        using LocalLan lan = LocalLan.Create();
        LanHost trapHost = lan.AddHost();
        LanHost clientHost = lan.AddHost();
        await using PeerProcess trap = trapHost.Start("python3", Script, "trap", trapHost.Address.ToString());
        await trap.WaitForOutputAsync("trap ");
        await using PeerProcess client = clientHost.Marcel("connect");
        Assert.Equal(3, await client.WaitForExitAsync());
        Assert.Contains("No Marcel server is announced on the local network.", client.Error, StringComparison.Ordinal);
        await using PeerProcess browse = clientHost.Marcel("browse", "--wait", "1");
        Assert.Equal(0, await browse.WaitForExitAsync());
        Assert.Contains("No Marcel server is announced", browse.Error, StringComparison.Ordinal);
        trap.CloseInput();
        Assert.Equal(0, await trap.WaitForExitAsync());
        Assert.DoesNotContain("accepted", trap.Output, StringComparison.Ordinal);
    }
}
