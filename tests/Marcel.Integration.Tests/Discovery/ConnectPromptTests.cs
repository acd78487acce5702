using Marcel.Tests.Support;

namespace Marcel.Tests.Discovery;

/// <summary>
/// <c>marcel connect</c> with no address in a real pseudo-terminal (util-linux <c>script</c>), on a LAN of namespaces:
/// the questions a pipe never gets ("Which one?" among several servers, "Trust it?" before pinning an announced
/// fingerprint, remembered once confirmed) and their answers. The client's config folder is the test's own.
/// </summary>
public class ConnectPromptTests
{
    [Fact]
    public async Task Several_servers_on_a_terminal_are_listed_and_the_one_picked_is_connected_to()
    {
        using LocalLan lan = LocalLan.Create();
        LanHost one = lan.AddHost();
        LanHost two = lan.AddHost();
        (PeerProcess a, string nameA, _) = await Announced.ServeAsync(one, "--keep-open", "--name", "One");
        (PeerProcess b, string nameB, int portB) = await Announced.ServeAsync(two, "--keep-open", "--name", "Two");
        await using (a)
        await using (b)
        await using (PeerProcess terminal = lan.AddHost().MarcelOnTerminal("connect"))
        {
            await terminal.WaitForOutputAsync("Which one? [1-2] ");
            Assert.Contains("1. " + nameA, terminal.Output, StringComparison.Ordinal);
            Assert.Contains("2. " + nameB, terminal.Output, StringComparison.Ordinal);
            await terminal.WriteAsync("2\r");
            await terminal.WaitForOutputAsync($"Found \"{nameB}\" (dialogue) at {two.Address}:{portB}: connecting.");
            await terminal.WaitForOutputAsync("S> You are connected to the Two server.");
            await b.WaitForOutputAsync("Client connected");
            Assert.DoesNotContain("Client connected", a.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_answer_that_is_no_number_of_the_list_connects_to_nothing()
    {
        using LocalLan lan = LocalLan.Create();
        (PeerProcess a, _, _) = await Announced.ServeAsync(lan.AddHost(), "--keep-open", "--name", "One");
        (PeerProcess b, _, _) = await Announced.ServeAsync(lan.AddHost(), "--keep-open", "--name", "Two");
        await using (a)
        await using (b)
        await using (PeerProcess terminal = lan.AddHost().MarcelOnTerminal("connect"))
        {
            await terminal.WaitForOutputAsync("Which one? [1-2] ");
            await terminal.WriteAsync("3\r");
            Assert.Equal(3, await terminal.WaitForExitAsync());
            Assert.Contains("No server chosen.", terminal.Output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("y", true)]
    [InlineData("n", false)]
    [InlineData("", false)]
    public async Task An_announced_fingerprint_is_pinned_on_a_terminal_only_after_a_yes(string answer, bool pinned)
    {
        using LocalLan lan = LocalLan.Create();
        (PeerProcess server, string fingerprint) = await ServeTlsAsync(lan.AddHost());
        await using (server)
        await using (PeerProcess terminal = lan.AddHost().MarcelOnTerminalWithConfig(TlsPeers.NewConfigFolder(), "connect"))
        {
            await terminal.WaitForOutputAsync($"announces TLS with the certificate SHA-256 {fingerprint}. mDNS is not authenticated: check it with the server's operator. Trust it? [y/N] ");
            await terminal.WriteAsync(answer + "\r");
            if (pinned)
            {
                await terminal.WaitForOutputAsync("Connection established with the server.");
                await terminal.WaitForOutputAsync("Welcome");
            }
            else
            {
                Assert.Equal(5, await terminal.WaitForExitAsync());
                Assert.Contains("Not connecting: the announced fingerprint was not confirmed.", terminal.Output, StringComparison.Ordinal);
                Assert.DoesNotContain("joined", server.Output, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Trust_announced_on_a_terminal_pins_the_fingerprint_without_asking()
    {
        using LocalLan lan = LocalLan.Create();
        (PeerProcess server, _) = await ServeTlsAsync(lan.AddHost());
        await using (server)
        await using (PeerProcess terminal = lan.AddHost().MarcelOnTerminalWithConfig(TlsPeers.NewConfigFolder(), "connect", "--trust-announced"))
        {
            await terminal.WaitForOutputAsync("Connection established with the server.");
            await terminal.WaitForOutputAsync("Welcome");
            Assert.DoesNotContain("Trust it?", terminal.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_fingerprint_confirmed_once_is_remembered_and_a_changed_one_is_shouted_and_asked_about_again()
    {
        using LocalLan lan = LocalLan.Create();
        LanHost serverHost = lan.AddHost();
        LanHost clientHost = lan.AddHost();
        string clientConfig = TlsPeers.NewConfigFolder();
        (PeerProcess server, string fingerprint) = await ServeTlsAsync(serverHost);
        string name = Announced.NameIn(server.Output);
        await using (server)
        {
            await using (PeerProcess terminal = clientHost.MarcelOnTerminalWithConfig(clientConfig, "connect"))
            {
                await terminal.WaitForOutputAsync("Trust it? [y/N] ");
                await terminal.WriteAsync("y\r");
                await terminal.WaitForOutputAsync($"Remembered in {clientConfig}/marcel/known_servers: \"{name}\" will not be asked about again");
                await terminal.WaitForOutputAsync("Welcome");
            }

            // Confirmed once: the next connect pins it without a question, even in a pipe (no --trust-announced).
            await using PeerProcess again = clientHost.MarcelWithConfig(clientConfig, "connect");
            await again.WaitForOutputAsync($"\"{name}\" announces the certificate you confirmed before");
            await again.WaitForOutputAsync("Welcome");
        }

        // The same name with another certificate (another server, its own config folder): a loud warning, asked again.
        (PeerProcess other, string otherFingerprint) = await ServeTlsAsync(serverHost);
        await using (other)
        await using (PeerProcess terminal = clientHost.MarcelOnTerminalWithConfig(clientConfig, "connect"))
        {
            Assert.Equal(name, Announced.NameIn(other.Output));
            await terminal.WaitForOutputAsync($"WARNING: \"{name}\" now announces the certificate SHA-256 {otherFingerprint}, not the one you confirmed before ({fingerprint},");
            await terminal.WaitForOutputAsync("Trust it? [y/N] ");
            await terminal.WriteAsync("\r");
            Assert.Equal(5, await terminal.WaitForExitAsync());
            Assert.DoesNotContain("joined", other.Output, StringComparison.Ordinal);
        }
    }

    private static async Task<(PeerProcess Server, string Fingerprint)> ServeTlsAsync(LanHost host)
    {
        PeerProcess server = host.MarcelWithConfig(TlsPeers.NewConfigFolder(), "serve", "--chat", "--tls", "--host", "*", "--port", "0", "--announce");
        string output = await server.WaitForOutputAsync("istening on [::]:");
        return (server, TlsPeers.FingerprintIn(output));
    }
}
