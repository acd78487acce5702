using Marcel.Tests.Support;

namespace Marcel.Tests.Discovery;

/// <summary>
/// <c>serve --announce</c>, <c>browse</c> and <c>connect</c> with no address on a LAN of network namespaces made by
/// the test (the built-in responder and querier; multicast never leaves the namespaces).
/// </summary>
public class DiscoveryTests
{
    private const string Greeting = "You are connected to the Marcel server. Send your messages.";

    [Fact]
    public async Task A_server_announced_on_one_host_is_listed_by_browse_on_another()
    {
        using LocalLan lan = LocalLan.Create();
        LanHost serverHost = lan.AddHost();
        LanHost browserHost = lan.AddHost();
        (PeerProcess server, string name, int port) = await Announced.ServeAsync(serverHost, "--keep-open");
        await using (server)
        {
            Assert.StartsWith("Marcel @ ", name, StringComparison.Ordinal);
            Assert.Equal([(name, "dialogue", serverHost.Address.ToString(), port)], await Announced.BrowseAsync(browserHost));
        }
    }

    [Fact]
    public async Task Connect_with_no_address_finds_the_only_server_and_holds_a_whole_dialogue()
    {
        using LocalLan lan = LocalLan.Create();
        LanHost serverHost = lan.AddHost();
        LanHost clientHost = lan.AddHost();
        (PeerProcess server, string name, int port) = await Announced.ServeAsync(serverHost, "--keep-open");
        await using (server)
        await using (PeerProcess client = clientHost.Marcel("connect"))
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
        LanHost serverHost = lan.AddHost();
        LanHost clientHost = lan.AddHost();
        (PeerProcess server, string name, int port) = await Announced.ServeAsync(serverHost, "--chat");
        await using (server)
        await using (PeerProcess witness = serverHost.Start("nc", "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        {
            await witness.WaitForOutputAsync("Nobody else is here yet.");
            await using PeerProcess client = clientHost.Marcel("connect");
            await client.WaitForOutputAsync($"Found \"{name}\" (chat)");
            await witness.WaitForOutputAsync("joined");
            await client.WriteLineAsync("bonjour la salle");
            await witness.WaitForOutputAsync("> bonjour la salle\n");
        }
    }

    [Fact]
    public async Task Two_announcers_of_one_name_end_with_distinct_names_and_each_is_reached_by_its_name()
    {
        using LocalLan lan = LocalLan.Create();
        LanHost first = lan.AddHost();
        LanHost second = lan.AddHost();
        LanHost client = lan.AddHost();
        // Both start at once: they probe together, one wins the tie-break (RFC 6762 §8.2), the other renames (§9).
        Task<(PeerProcess, string, int)> a = Announced.ServeAsync(first, "--keep-open", "--name", "Twin");
        Task<(PeerProcess, string, int)> b = Announced.ServeAsync(second, "--keep-open", "--name", "Twin");
        (PeerProcess serverA, string nameA, int portA) = await a;
        (PeerProcess serverB, string nameB, int portB) = await b;
        await using (serverA)
        await using (serverB)
        {
            string base1 = nameA.EndsWith(" (2)", StringComparison.Ordinal) ? nameB : nameA;
            Assert.StartsWith("Twin @ ", base1, StringComparison.Ordinal);
            Assert.Equal(new[] { base1, base1 + " (2)" }.Order(StringComparer.Ordinal), new[] { nameA, nameB }.Order(StringComparer.Ordinal));
            Assert.Equal(
                new (string Name, string? Mode, string Address, int Port)[] { (nameA, "dialogue", first.Address.ToString(), portA), (nameB, "dialogue", second.Address.ToString(), portB) }.OrderBy(s => s.Name, StringComparer.Ordinal),
                await Announced.BrowseAsync(client));

            string renamed = base1 + " (2)";
            PeerProcess renamedServer = renamed == nameA ? serverA : serverB;
            await using PeerProcess connect = client.Marcel("connect", renamed);
            await connect.WaitForOutputAsync("S> You are connected to the Twin server.");
            await renamedServer.WaitForOutputAsync("Client connected");
        }
    }

    [Fact]
    public async Task A_server_stopped_cleanly_leaves_browse_at_once_through_its_goodbye()
    {
        using LocalLan lan = LocalLan.Create();
        LanHost serverHost = lan.AddHost();
        LanHost browserHost = lan.AddHost();
        // The default TTL is 120 s: only the goodbye can take it off the list within the bound below.
        (PeerProcess server, string name, _) = await Announced.ServeAsync(serverHost, "--keep-open");
        await using (server)
        await using (PeerProcess watch = browserHost.Marcel("browse", "--watch"))
        {
            await watch.WaitForOutputAsync("+ " + name);
            server.Signal(15);
            Assert.Equal(0, await server.WaitForExitAsync());
            await watch.WaitForOutputAsync("- " + name);
        }
    }

    [Fact]
    public async Task A_server_killed_without_a_goodbye_stays_listed_while_alive_and_leaves_when_its_TTL_runs_out()
    {
        using LocalLan lan = LocalLan.Create();
        LanHost serverHost = lan.AddHost();
        LanHost browserHost = lan.AddHost();
        (PeerProcess server, string name, _) = await Announced.ServeAsync(serverHost, "--keep-open", "--announce-ttl", "2");
        await using (server)
        await using (PeerProcess watch = browserHost.Marcel("browse", "--watch"))
        {
            await watch.WaitForOutputAsync("+ " + name);
            // Twice the TTL with the server alive: the browser's refresh queries (80 % of the TTL) keep it listed.
            await Task.Delay(TimeSpan.FromSeconds(4), TestContext.Current.CancellationToken);
            Assert.DoesNotContain("- ", watch.Output, StringComparison.Ordinal);
            server.Signal(9);
            await watch.WaitForOutputAsync("- " + name);
        }
    }

    [Fact]
    public async Task Announcing_a_server_that_listens_on_loopback_only_is_refused_with_a_clear_message()
    {
        using LocalLan lan = LocalLan.Create();
        await using PeerProcess server = lan.AddHost().Marcel("serve", "--port", "0", "--announce");
        Assert.Equal(2, await server.WaitForExitAsync());
        Assert.Contains("--announce: the server listens on loopback only (127.0.0.1:", server.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_with_no_address_and_nothing_announced_says_so_and_how_to_give_one()
    {
        using LocalLan lan = LocalLan.Create();
        await using PeerProcess client = lan.AddHost().Marcel("connect");
        Assert.Equal(3, await client.WaitForExitAsync());
        Assert.Contains("No Marcel server is announced on the local network. Give its address: marcel connect HOST [PORT]", client.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_with_no_address_and_several_servers_in_a_pipe_fails_listing_them()
    {
        using LocalLan lan = LocalLan.Create();
        LanHost one = lan.AddHost();
        LanHost two = lan.AddHost();
        (PeerProcess a, string nameA, _) = await Announced.ServeAsync(one, "--keep-open", "--name", "One");
        (PeerProcess b, string nameB, _) = await Announced.ServeAsync(two, "--keep-open", "--name", "Two");
        await using (a)
        await using (b)
        await using (PeerProcess client = one.Marcel("connect"))
        {
            Assert.Equal(3, await client.WaitForExitAsync());
            Assert.Contains("2 Marcel servers are announced; say which with marcel connect NAME", client.Error, StringComparison.Ordinal);
            Assert.Contains("1. " + nameA, client.Error, StringComparison.Ordinal);
            Assert.Contains("2. " + nameB, client.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_announced_TLS_fingerprint_is_pinned_only_with_trust_announced()
    {
        using LocalLan lan = LocalLan.Create();
        LanHost serverHost = lan.AddHost();
        LanHost clientHost = lan.AddHost();
        await using PeerProcess server = serverHost.MarcelWithConfig(TlsPeers.NewConfigFolder(), "serve", "--chat", "--tls", "--host", "*", "--port", "0", "--announce");
        string output = await server.WaitForOutputAsync("istening on [::]:");
        string fingerprint = TlsPeers.FingerprintIn(output);

        // In a pipe, unconfirmed: refused with the fingerprint and the way to trust it, and nothing sent.
        await using (PeerProcess refused = clientHost.Marcel("connect"))
        {
            Assert.Equal(5, await refused.WaitForExitAsync());
            Assert.Contains($"announces TLS with the certificate SHA-256 {fingerprint}. mDNS is not authenticated", refused.Error, StringComparison.Ordinal);
            Assert.Contains("--trust-announced", refused.Error, StringComparison.Ordinal);
        }

        await using PeerProcess trusted = clientHost.Marcel("connect", "--trust-announced");
        await trusted.WaitForOutputAsync("Connection established with the server.");
        await trusted.WaitForOutputAsync("Welcome");
    }
}
