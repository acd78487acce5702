using System.Globalization;
using Marcel.Tests.Support;

namespace Marcel.Tests.Discovery;

/// <summary>
/// A hostile peer on the LAN (a Python script with its own socket on port 5353, and a raw socket that forges the IP and
/// UDP headers, inside the test's namespaces): malformed packets, floods, answers for other services, half-made Marcel
/// records, responses from the wrong port or from off the link, and a query whose answer would not fit in a packet.
/// </summary>
public class HostileDiscoveryTests
{
    private static readonly string Script = Path.Combine(AppContext.BaseDirectory, "Discovery", "mdns_hostile.py");

    [Fact]
    public async Task Malformed_packets_and_floods_crash_nothing_fool_no_browser_and_draw_few_answers()
    {
        await using (WatchedServer scene = await WatchedServer.StartAsync())
        {
            (LanHost serverHost, LanHost attacker, LanHost browserHost, PeerProcess server, string name, int port, PeerProcess watch) = scene;
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

    [Fact]
    public async Task Forged_responses_from_another_port_or_from_off_the_link_neither_rename_the_server_nor_reach_a_browser()
    {
        await using (WatchedServer scene = await WatchedServer.StartAsync())
        {
            (LanHost serverHost, LanHost attacker, LanHost browserHost, PeerProcess server, string name, int port, PeerProcess watch) = scene;
            // A conflicting SRV for the server's name and a whole fake instance "Spoofed", from port 5354 and from 10.99.0.1
            // (RFC 6762 §6, §11); then the script asks from port 5353 which instance the server answers for.
            await using PeerProcess spoof = attacker.Start("python3", Script, "spoof", attacker.Address.ToString(), name);
            Assert.Equal(0, await spoof.WaitForExitAsync());
            Assert.Equal("answer " + name, spoof.Output.Trim());
            Assert.DoesNotContain("now announced as", server.Output, StringComparison.Ordinal);
            Assert.Equal([(name, "dialogue", serverHost.Address.ToString(), port)], await Announced.BrowseAsync(browserHost));
            Assert.DoesNotContain("Spoofed", watch.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_flood_of_empty_instances_before_the_server_announces_does_not_hide_it()
    {
        ExternalProgram.Require("python3");
        using LocalLan lan = LocalLan.Create();
        await FloodThenAnnounceAsync(lan, lan.AddHost(), "builtin");
    }

    [Fact]
    public async Task Through_Avahi_a_flood_of_empty_instances_before_the_server_announces_does_not_hide_it()
    {
        ExternalProgram.Require("python3");
        using LocalLan lan = LocalLan.Create();
        // The browser asks its avahi-daemon, which caches the flood and reports each PTR; each resolve of one waits for Avahi's timeout.
        await using AvahiPeer avahi = await AvahiPeer.StartAsync(lan.AddHost());
        await FloodThenAnnounceAsync(lan, avahi.Host, "avahi");
    }

    [Fact]
    public async Task A_query_whose_answer_cannot_be_written_leaves_the_responder_answering()
    {
        ExternalProgram.Require("python3");
        using LocalLan lan = LocalLan.Create();
        LanHost serverHost = lan.AddHost();
        LanHost attacker = lan.AddHost();
        (PeerProcess server, string name, _) = await Announced.ServeAsync(serverHost, "--keep-open", "-v");
        await using (server)
        {
            // A legacy query (not from port 5353) of 1,401 questions, 1,400 of them 2-byte pointers: echoed in the answer
            // as RFC 6762 §6.7 asks, they would take 33 KB, over the 9,000 bytes of an mDNS message.
            await using PeerProcess overflow = attacker.Start("python3", Script, "overflow", attacker.Address.ToString());
            Assert.Equal(0, await overflow.WaitForExitAsync());
            Assert.Equal("alive", overflow.Output.Trim());
            Assert.False(server.HasExited);
            Assert.Contains("could not be handled", server.Output + server.Error, StringComparison.Ordinal);
            Assert.Single(await Announced.BrowseAsync(lan.AddHost()), s => s.Name == name);
        }
    }

    // 600 PTRs to instances that never answer, more than the cap of 256, sent once the browser listens (its first query);
    // then a server (built-in) announces on another host, and the browser lists it.
    private static async Task FloodThenAnnounceAsync(LocalLan lan, LanHost browserHost, string stack)
    {
        LanHost attacker = lan.AddHost();
        LanHost serverHost = lan.AddHost();
        await using PeerProcess watch = browserHost.Marcel("browse", "--watch", "--mdns", stack);
        await using (PeerProcess ghosts = attacker.Start("python3", Script, "ghosts", attacker.Address.ToString(), "600", browserHost.Address.ToString()))
        {
            Assert.Equal(0, await ghosts.WaitForExitAsync());
            Assert.Equal("ghosts 600", ghosts.Output.Trim());
        }

        (PeerProcess server, string name, _) = await Announced.ServeAsync(serverHost, "--keep-open", "--mdns", "builtin");
        await using (server)
        {
            await watch.WaitForOutputAsync("+ " + name);
            Assert.DoesNotContain("Ghost", watch.Output, StringComparison.Ordinal);
        }
    }

    // A LAN of three hosts: a server announced, an attacker, and a browser whose browse --watch lists the server.
    private sealed class WatchedServer : IAsyncDisposable
    {
        private readonly LocalLan _lan;

        private WatchedServer(LocalLan lan, PeerProcess server, string name, int port, PeerProcess watch)
        {
            _lan = lan;
            Server = server;
            Name = name;
            Port = port;
            Watch = watch;
        }

        public PeerProcess Server { get; }

        public string Name { get; }

        public int Port { get; }

        public PeerProcess Watch { get; }

        public static async Task<WatchedServer> StartAsync()
        {
            ExternalProgram.Require("python3");
            LocalLan lan = LocalLan.Create();
            WatchedServer? scene = null;
            try
            {
                LanHost serverHost = lan.AddHost();
                lan.AddHost();
                LanHost browserHost = lan.AddHost();
                (PeerProcess server, string name, int port) = await Announced.ServeAsync(serverHost, "--keep-open");
                scene = new WatchedServer(lan, server, name, port, browserHost.Marcel("browse", "--watch"));
                await scene.Watch.WaitForOutputAsync("+ " + name);
                return scene;
            }
            catch
            {
                if (scene is not null) await scene.DisposeAsync();
                else lan.Dispose();
                throw;
            }
        }

        public void Deconstruct(out LanHost serverHost, out LanHost attacker, out LanHost browserHost, out PeerProcess server, out string name, out int port, out PeerProcess watch)
        {
            (serverHost, attacker, browserHost) = (_lan.Hosts[0], _lan.Hosts[1], _lan.Hosts[2]);
            (server, name, port, watch) = (Server, Name, Port, Watch);
        }

        public async ValueTask DisposeAsync()
        {
            await Watch.DisposeAsync();
            await Server.DisposeAsync();
            _lan.Dispose();
        }
    }
}
