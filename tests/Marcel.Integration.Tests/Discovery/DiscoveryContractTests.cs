using System.Text.Json;
using Marcel.Tests.Support;

namespace Marcel.Tests.Discovery;

/// <summary>
/// What every DNS-SD stack behind <c>--mdns</c> promises (the seam <c>IServiceDiscovery</c>): a server announced on
/// one host of a LAN of namespaces is listed by <c>browse</c> on another with its mode, port and TXT; a datagram server
/// as <c>_marcel._udp</c>; two announcers of one name end with distinct names; a clean stop leaves the list at once.
/// Both hosts use the stack under test.
/// </summary>
public abstract class DiscoveryContractTests : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    /// <summary>The <c>--mdns</c> value of the stack under test.</summary>
    protected abstract string Stack { get; }

    /// <summary>What the console says the server is announced with: "Marcel's own mDNS", "through avahi 0.8".</summary>
    protected abstract string Via { get; }

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
