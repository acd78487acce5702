using System.Text.Json;
using Marcel.Tests.Support;

namespace Marcel.Tests.Discovery;

/// <summary>
/// What every DNS-SD stack behind <c>--mdns</c> promises (the seam <c>IServiceDiscovery</c>): a server announced on
/// one host of a LAN of namespaces is listed by <c>browse</c> on another with its mode, port and TXT; a datagram server
/// as <c>_marcel._udp</c>; <c>connect</c> with no address holds a whole dialogue and says a chat line; two announcers
/// of one name end with distinct names, a later one as <c>(2)</c>; a name taken after the announcement renames the
/// server; a clean stop leaves the list at once, a <c>kill -9</c> soon after. Every host uses the stack under test.
/// </summary>
public abstract class DiscoveryContractTests : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    /// <summary>The <c>--mdns</c> value of the stack under test.</summary>
    protected abstract string Stack { get; }

    /// <summary>What the console says the server is announced with: "Marcel's own mDNS", "through avahi 0.8".</summary>
    protected abstract string Via { get; }

    /// <summary>
    /// The options of the server the kill -9 test kills: the built-in stack's records leave when their TTL runs out, so
    /// it gets a 2 s one; Avahi's keep their 120 s, so nothing: only the daemon's own withdrawal (it frees the groups of a
    /// client whose bus connection closed, goodbye included) takes the server off the list within the wait.
    /// </summary>
    protected abstract IReadOnlyList<string> KilledServerOptions { get; }

    private const string Greeting = "You are connected to the Marcel server. Send your messages.";

    private static readonly string Script = Path.Combine(AppContext.BaseDirectory, "Discovery", "mdns_hostile.py");

    [Fact]
    public async Task A_chat_room_with_a_web_page_is_listed_on_another_host_with_its_mode_port_and_page()
    {
        using LocalLan lan = LocalLan.Create();
        LanHost serverHost = await PrepareAsync(lan.AddHost());
        LanHost browserHost = await PrepareAsync(lan.AddHost());
        (PeerProcess server, string name, int port) = await ServeAsync(serverHost, "--chat", "--web", "0");
        await using (server)
        {
            Assert.Contains(Via, server.Output, StringComparison.Ordinal);
            JsonElement found = Assert.Single(await BrowseAsync(browserHost));
            Assert.Equal(name, found.GetProperty("name").GetString());
            Assert.Equal("_marcel._tcp", found.GetProperty("type").GetString());
            Assert.Equal("chat", found.GetProperty("mode").GetString());
            Assert.Equal(port, found.GetProperty("port").GetInt32());
            Assert.Equal(serverHost.Address.ToString(), found.GetProperty("addresses")[0].GetString());
            Assert.Contains("txtvers=1", found.GetProperty("txt").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(WebPortIn(server.Output), found.GetProperty("webPort").GetInt32());
        }
    }

    [Fact]
    public async Task A_datagram_server_is_listed_as_marcel_udp()
    {
        using LocalLan lan = LocalLan.Create();
        LanHost serverHost = await PrepareAsync(lan.AddHost());
        LanHost browserHost = await PrepareAsync(lan.AddHost());
        await using PeerProcess server = serverHost.Marcel("serve", "--udp", "--host", "*", "--port", "0", "--announce", "--mdns", Stack);
        await server.WaitForOutputAsync("Announced on the local network as \"");
        JsonElement found = Assert.Single(await BrowseAsync(browserHost));
        Assert.Equal("_marcel._udp", found.GetProperty("type").GetString());
        Assert.Equal("dialogue", found.GetProperty("mode").GetString());
        Assert.Contains($":{found.GetProperty("port").GetInt32()}", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chat_room_with_a_udp_port_is_listed_twice_under_one_name()
    {
        using LocalLan lan = LocalLan.Create();
        LanHost serverHost = await PrepareAsync(lan.AddHost());
        LanHost browserHost = await PrepareAsync(lan.AddHost());
        (PeerProcess server, string name, int port) = await ServeAsync(serverHost, "--chat", "--udp-port", "0");
        await using (server)
        {
            await server.WaitForOutputAsync("Also announced as \"");
            List<JsonElement> found = await BrowseAsync(browserHost);
            Assert.Equal(["_marcel._tcp", "_marcel._udp"], found.Select(e => e.GetProperty("type").GetString()).Order(StringComparer.Ordinal));
            Assert.All(found, e => Assert.Equal(name, e.GetProperty("name").GetString()));
            Assert.Equal(port, found.Single(e => e.GetProperty("type").GetString() == "_marcel._tcp").GetProperty("port").GetInt32());
        }
    }

    [Fact]
    public async Task Two_announcers_of_one_name_end_with_distinct_names()
    {
        using LocalLan lan = LocalLan.Create();
        LanHost first = await PrepareAsync(lan.AddHost());
        LanHost second = await PrepareAsync(lan.AddHost());
        LanHost browser = await PrepareAsync(lan.AddHost());
        Task<(PeerProcess, string, int)> a = ServeAsync(first, "--keep-open", "--name", "Twin");
        Task<(PeerProcess, string, int)> b = ServeAsync(second, "--keep-open", "--name", "Twin");
        (PeerProcess serverA, string nameA, _) = await a;
        await using (serverA)
        {
            (PeerProcess serverB, string nameB, _) = await b;
            await using (serverB)
            {
                // A rename found after the start is said on the console too: the names held now are the last said.
                string heldA = LastName(serverA.Output, nameA);
                string heldB = LastName(serverB.Output, nameB);
                string base1 = heldA.EndsWith(" (2)", StringComparison.Ordinal) ? heldB : heldA;
                Assert.StartsWith("Twin @ ", base1, StringComparison.Ordinal);
                Assert.Equal(new[] { base1, base1 + " (2)" }.Order(StringComparer.Ordinal), new[] { heldA, heldB }.Order(StringComparer.Ordinal));
                Assert.Equal([base1, base1 + " (2)"], (await BrowseAsync(browser)).Select(e => e.GetProperty("name").GetString()!).Order(StringComparer.Ordinal));
            }
        }
    }

    [Fact]
    public async Task A_server_stopped_cleanly_leaves_browse_at_once()
    {
        using LocalLan lan = LocalLan.Create();
        LanHost serverHost = await PrepareAsync(lan.AddHost());
        LanHost browserHost = await PrepareAsync(lan.AddHost());
        (PeerProcess server, string name, _) = await ServeAsync(serverHost, "--keep-open");
        await using (server)
        await using (PeerProcess watch = browserHost.Marcel("browse", "--watch", "--mdns", Stack))
        {
            await watch.WaitForOutputAsync("+ " + name);
            server.Signal(15);
            Assert.Equal(0, await server.WaitForExitAsync());
            await watch.WaitForOutputAsync("- " + name); // The records' TTL is 120 s: only the goodbye does this in time.
        }
    }

    [Fact]
    public async Task Connect_with_no_address_finds_the_only_server_and_holds_a_whole_dialogue()
    {
        using LocalLan lan = LocalLan.Create();
        LanHost serverHost = await PrepareAsync(lan.AddHost());
        LanHost clientHost = await PrepareAsync(lan.AddHost());
        (PeerProcess server, string name, int port) = await ServeAsync(serverHost, "--keep-open");
        await using (server)
        await using (PeerProcess client = clientHost.Marcel("connect", "--mdns", Stack))
        {
            await client.WaitForOutputAsync($"Found \"{name}\" (dialogue) at {serverHost.Address}:{port}: connecting.");
            await client.WaitForOutputAsync("S> " + Greeting);
            await client.WriteLineAsync("Salut Marcel");
            await server.WaitForOutputAsync("C> Salut Marcel");
            await server.WriteLineAsync("Bonjour ! Ici Marcel.");
            await client.WaitForOutputAsync("S> Bonjour ! Ici Marcel.");
            await client.WriteLineAsync("fin");
            Assert.Equal(0, await client.WaitForExitAsync());
            Assert.Contains("S> Goodbye!", client.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_chat_room_announced_is_joined_by_connect_with_no_address_and_its_line_reaches_the_room()
    {
        ExternalProgram.Require("nc");
        using LocalLan lan = LocalLan.Create();
        LanHost serverHost = await PrepareAsync(lan.AddHost());
        LanHost clientHost = await PrepareAsync(lan.AddHost());
        (PeerProcess server, string name, int port) = await ServeAsync(serverHost, "--chat");
        await using (server)
        await using (PeerProcess witness = serverHost.Start("nc", "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        {
            await witness.WaitForOutputAsync("Nobody else is here yet.");
            await using PeerProcess client = clientHost.Marcel("connect", "--mdns", Stack);
            await client.WaitForOutputAsync($"Found \"{name}\" (chat)");
            await witness.WaitForOutputAsync("joined");
            await client.WriteLineAsync("bonjour la salle");
            await witness.WaitForOutputAsync("> bonjour la salle\n");
        }
    }

    [Fact]
    public async Task A_server_started_after_another_of_its_name_is_announced_takes_name_2_and_the_first_keeps_its_own()
    {
        using LocalLan lan = LocalLan.Create();
        LanHost first = await PrepareAsync(lan.AddHost());
        LanHost second = await PrepareAsync(lan.AddHost());
        LanHost browser = await PrepareAsync(lan.AddHost());
        (PeerProcess serverA, string nameA, _) = await ServeAsync(first, "--keep-open", "--name", "Twin");
        await using (serverA)
        {
            // A holds the name (its "Announced" line is out): B's probes meet A's defence (RFC 6762 §8.1), B renames.
            (PeerProcess serverB, string nameB, _) = await ServeAsync(second, "--keep-open", "--name", "Twin");
            await using (serverB)
            {
                Assert.StartsWith("Twin @ ", nameA, StringComparison.Ordinal);
                Assert.Equal(nameA + " (2)", nameB);
                Assert.Equal([nameA, nameB], (await BrowseAsync(browser)).Select(e => e.GetProperty("name").GetString()!).Order(StringComparer.Ordinal));
                Assert.DoesNotContain("now announced as", serverA.Output, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task A_name_taken_after_the_announcement_renames_the_server_and_its_console_says_so()
    {
        ExternalProgram.Require("python3");
        using LocalLan lan = LocalLan.Create();
        LanHost serverHost = await PrepareAsync(lan.AddHost());
        LanHost browser = await PrepareAsync(lan.AddHost());
        LanHost thiefHost = lan.AddHost(); // A script on port 5353 that claims the name and defends it.
        (PeerProcess server, string name, _) = await ServeAsync(serverHost, "--keep-open");
        await using (server)
        await using (PeerProcess thief = thiefHost.Start("python3", Script, "claim", thiefHost.Address.ToString(), name))
        {
            await thief.WaitForOutputAsync("claimed");
            await server.WaitForOutputAsync($"Another server on the network had the name: now announced as \"{name} (2)\".");
            List<JsonElement> found = await BrowseAsync(browser);
            JsonElement renamed = Assert.Single(found, e => e.GetProperty("name").GetString() == name + " (2)");
            Assert.Equal(serverHost.Address.ToString(), renamed.GetProperty("addresses")[0].GetString());
            // The old name is the thief's now. A browser whose daemon still holds the server's old PTR (Avahi sends no
            // goodbye for a group withdrawn on a collision) resolves it to the thief, never to the server.
            Assert.DoesNotContain(found, e => e.GetProperty("name").GetString() == name && e.GetProperty("addresses")[0].GetString() == serverHost.Address.ToString());
            thief.CloseInput();
            Assert.Equal(0, await thief.WaitForExitAsync());
        }
    }

    [Fact]
    public async Task A_server_killed_without_a_goodbye_leaves_browse()
    {
        using LocalLan lan = LocalLan.Create();
        LanHost serverHost = await PrepareAsync(lan.AddHost());
        LanHost browserHost = await PrepareAsync(lan.AddHost());
        (PeerProcess server, string name, _) = await ServeAsync(serverHost, ["--keep-open", .. KilledServerOptions]);
        await using (server)
        await using (PeerProcess watch = browserHost.Marcel("browse", "--watch", "--mdns", Stack))
        {
            await watch.WaitForOutputAsync("+ " + name);
            server.Signal(9);
            await watch.WaitForOutputAsync("- " + name);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (IAsyncDisposable owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Readies <paramref name="host"/> for the stack (starts its daemon, if it has one); returns it.</summary>
    private protected abstract Task<LanHost> PrepareAsync(LanHost host);

    /// <summary>Keeps <paramref name="owned"/> until the test ends.</summary>
    protected void Own(IAsyncDisposable owned) => _owned.Add(owned);

    private async Task<(PeerProcess Server, string Name, int Port)> ServeAsync(LanHost host, params string[] extra) =>
        await Announced.ServeAsync(host, [.. extra, "--mdns", Stack]);

    private async Task<List<JsonElement>> BrowseAsync(LanHost host)
    {
        await using PeerProcess browse = host.Marcel("browse", "--json", "--wait", "3", "--mdns", Stack);
        Assert.Equal(0, await browse.WaitForExitAsync());
        return [.. JsonDocument.Parse(browse.Output).RootElement.EnumerateArray()];
    }

    private static string LastName(string output, string first)
    {
        const string Marker = "now announced as \"";
        int at = output.LastIndexOf(Marker, StringComparison.Ordinal);
        return at < 0 ? first : output[(at + Marker.Length)..output.IndexOf('"', at + Marker.Length)];
    }

    private static int WebPortIn(string output)
    {
        System.Text.RegularExpressions.Match page = System.Text.RegularExpressions.Regex.Match(output, @"http://[^\s/]*:(\d+)/");
        Assert.True(page.Success, output);
        return int.Parse(page.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
