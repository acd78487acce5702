using Marcel.Tests.Support;

namespace Marcel.Tests.Discovery;

/// <summary>
/// <c>serve --announce</c>, <c>browse</c> and <c>connect</c> with no address on a LAN of network namespaces made by
/// the test (the built-in responder and querier; multicast never leaves the namespaces).
/// </summary>
public class DiscoveryTests
{
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
        await using (PeerProcess refused = clientHost.MarcelWithConfig(TlsPeers.NewConfigFolder(), "connect"))
        {
            Assert.Equal(5, await refused.WaitForExitAsync());
            Assert.Contains($"announces TLS with the certificate SHA-256 {fingerprint}. mDNS is not authenticated", refused.Error, StringComparison.Ordinal);
            Assert.Contains("--trust-announced", refused.Error, StringComparison.Ordinal);
        }

        await using PeerProcess trusted = clientHost.MarcelWithConfig(TlsPeers.NewConfigFolder(), "connect", "--trust-announced");
        await trusted.WaitForOutputAsync("Connection established with the server.");
        await trusted.WaitForOutputAsync("Welcome");
    }

    [Fact]
    public async Task Connect_NAME_reaches_a_server_whose_name_has_a_dot_by_its_full_name_and_by_its_name_part_alone()
    {
        using LocalLan lan = LocalLan.Create();
        LanHost serverHost = lan.AddHost();
        LanHost clientHost = lan.AddHost();
        (PeerProcess server, string name, int port) = await Announced.ServeAsync(serverHost, "--keep-open", "--name", "Salle 1.2");
        await using (server)
        {
            Assert.StartsWith("Salle 1.2 @ ", name, StringComparison.Ordinal);
            foreach (string asked in new[] { name, "Salle 1.2" })
            {
                await using PeerProcess client = clientHost.Marcel("connect", asked);
                await client.WaitForOutputAsync($"Found \"{name}\" (dialogue) at {serverHost.Address}:{port}: connecting.");
                await client.WaitForOutputAsync("S> You are connected to the Salle 1.2 server.");
                await client.WriteLineAsync("fin");
                Assert.Equal(0, await client.WaitForExitAsync());
            }
        }
    }

    [Fact]
    public async Task Browse_prints_a_table_with_a_line_per_server_in_aligned_columns()
    {
        using LocalLan lan = LocalLan.Create();
        LanHost dialogueHost = lan.AddHost();
        LanHost chatHost = lan.AddHost();
        (PeerProcess dialogue, string dialogueName, int dialoguePort) = await Announced.ServeAsync(dialogueHost, "--keep-open", "--name", "Dialogue");
        await using (dialogue)
        await using (PeerProcess chat = chatHost.Marcel("serve", "--chat", "--udp", "--host", "*", "--port", "0", "--announce", "--name", "Room"))
        {
            // The datagram room is announced as _marcel._udp, listed with the mode "chat udp".
            string chatName = Announced.NameIn(await chat.WaitForOutputAsync("Announced on the local network as \""));
            Assert.Contains("_marcel._udp", chat.Output, StringComparison.Ordinal);
            await using PeerProcess browse = lan.AddHost().Marcel("browse", "--wait", "2");
            Assert.Equal(0, await browse.WaitForExitAsync());
            string[] lines = browse.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(3, lines.Length);
            Assert.Equal(["NAME", "MODE", "ADDRESS", "TLS"], Cells(lines[0]));
            Assert.Equal([dialogueName, "dialogue", $"{dialogueHost.Address}:{dialoguePort}", "no"], Cells(lines[1]));
            string[] room = Cells(lines[2]);
            Assert.Equal([chatName, "chat udp"], room[..2]);
            Assert.StartsWith($"{chatHost.Address}:", room[2], StringComparison.Ordinal);
            Assert.Equal("no", room[3]);
            foreach (string column in new[] { "MODE", "ADDRESS", "TLS" })
            {
                int at = lines[0].IndexOf(column, StringComparison.Ordinal);
                Assert.All(lines[1..], l => Assert.NotEqual(' ', l[at]));
                Assert.All(lines[1..], l => Assert.Equal("  ", l[(at - 2)..at]));
            }
        }
    }

    [Fact]
    public async Task Two_announcers_on_one_machine_share_port_5353_and_are_both_listed()
    {
        using LocalLan lan = LocalLan.Create();
        LanHost machine = lan.AddHost();
        (PeerProcess first, string firstName, int firstPort) = await Announced.ServeAsync(machine, "--keep-open", "--name", "Twin");
        await using (first)
        {
            // The same name from the same machine: the second meets the first's defence through the looped-back multicast.
            (PeerProcess second, string secondName, int secondPort) = await Announced.ServeAsync(machine, "--keep-open", "--name", "Twin");
            await using (second)
            {
                Assert.Equal(firstName + " (2)", secondName);
                var expected = new (string Name, string? Mode, string Address, int Port)[] { (firstName, "dialogue", machine.Address.ToString(), firstPort), (secondName, "dialogue", machine.Address.ToString(), secondPort) };
                Assert.Equal(expected, await Announced.BrowseAsync(lan.AddHost()));
                Assert.Equal(expected, await Announced.BrowseAsync(machine)); // and a browser on that machine too
            }
        }
    }

    // The cells of a table line: separated by two spaces or more.
    private static string[] Cells(string line) => System.Text.RegularExpressions.Regex.Split(line.TrimEnd(), " {2,}");
}
