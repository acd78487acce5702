using System.Globalization;
using Marcel.Tests.Support;

namespace Marcel.Tests.Platform;

/// <summary>
/// The chapter's claim, proven: the Windows build (win-x64, run under Wine) talks with Linux programs on loopback,
/// both ways, with non-ASCII text intact through its pipes and over the network.
/// </summary>
public class WineTests
{
    // Two-byte, three-byte and four-byte UTF-8: what a console code page would mangle.
    private const string Text = "é € 🙂";

    [Fact]
    public async Task Windows_marcel_connect_and_a_Linux_nc_exchange_UTF_8_both_ways_through_pipes()
    {
        WindowsBuild windows = await WindowsBuild.GetAsync();
        string nc = ExternalProgram.Require("nc");
        int port = Loopback.FreePort();
        await using PeerProcess linux = PeerProcess.Start(nc, ["-v", "-l", "127.0.0.1", Port(port)]);
        await linux.WaitForErrorAsync("Listening");
        await using PeerProcess client = windows.Start("connect", "127.0.0.1", Port(port));
        await client.WaitForOutputAsync("Connection established with the server.");

        await client.WriteLineAsync($"salut depuis Windows {Text}");
        await linux.WaitForOutputAsync($"salut depuis Windows {Text}\n");
        await linux.WriteLineAsync($"bonjour depuis Linux {Text}");
        await client.WaitForOutputAsync($"S> bonjour depuis Linux {Text}");
        await linux.WriteLineAsync("FIN");

        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.DoesNotContain("Ã", linux.Output, StringComparison.Ordinal);
        Assert.Contains($"S> bonjour depuis Linux {Text}\n", WindowsBuild.Lf(client.Output), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_interactive_Windows_console_reads_accents_the_euro_and_emoji_and_shows_accents_and_the_euro()
    {
        WindowsBuild windows = await WindowsBuild.GetAsync();
        string nc = ExternalProgram.Require("nc");
        int port = Loopback.FreePort();
        await using PeerProcess linux = PeerProcess.Start(nc, ["-v", "-l", "127.0.0.1", Port(port)]);
        await linux.WaitForErrorAsync("Listening");
        await using PeerProcess terminal = windows.StartInTerminal("connect", "127.0.0.1", Port(port));
        await terminal.WaitForOutputAsync("Connection established with the server.");

        // Typed key by key at the console: the line editor reads them as the console's input records.
        await terminal.WriteAsync($"tapé {Text}\r");
        await linux.WaitForOutputAsync($"tapé {Text}\n");
        // Shown through the console: Wine's console writes characters beyond U+FFFF (emoji) as two U+FFFD, as its
        // own cmd.exe does, so only the accents and the euro are asserted on screen.
        await linux.WriteLineAsync($"retour {Text}");
        await terminal.WaitForOutputAsync("S> retour é €");
        await linux.WriteLineAsync("FIN");
        Assert.Equal(0, await terminal.WaitForExitAsync());
        Assert.DoesNotContain("Ã", terminal.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Windows_marcel_serve_answers_a_Linux_marcel_connect_in_UTF_8_and_the_operator_ends_it()
    {
        WindowsBuild windows = await WindowsBuild.GetAsync();
        await using PeerProcess server = windows.Start("serve", "--host", "127.0.0.1", "--port", "0");
        int port = await MarcelCli.ListeningPortAsync(server);
        await using PeerProcess client = MarcelCli.Start("connect", "127.0.0.1", Port(port));
        await client.WaitForOutputAsync("S> You are connected to the Marcel server. Send your messages.\n");

        await client.WriteLineAsync($"salut depuis Linux {Text}");
        await server.WaitForOutputAsync($"C> salut depuis Linux {Text}");
        await server.WriteLineAsync($"bonjour depuis Windows {Text}");
        await client.WaitForOutputAsync($"S> bonjour depuis Windows {Text}\n");
        await client.WriteLineAsync("FIN");
        await client.WaitForOutputAsync("S> Goodbye!\n");
        Assert.Equal(0, await client.WaitForExitAsync());

        await server.WaitForOutputAsync("<R>estart <T>erminate ? ");
        await server.WriteLineAsync("T");
        Assert.Equal(0, await server.WaitForExitAsync());
        Assert.DoesNotContain("Ã", client.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Windows_chat_room_carries_UTF_8_between_a_Linux_nc_and_a_Linux_marcel_connect()
    {
        WindowsBuild windows = await WindowsBuild.GetAsync();
        string nc = ExternalProgram.Require("nc");
        await using PeerProcess room = windows.Start("serve", "--chat", "--host", "127.0.0.1", "--port", "0");
        int port = await MarcelCli.ListeningPortAsync(room);
        await using PeerProcess alice = PeerProcess.Start(nc, ["127.0.0.1", Port(port)]);
        await alice.WaitForOutputAsync("user1");
        await using PeerProcess bob = MarcelCli.Start("connect", "127.0.0.1", Port(port));
        await alice.WaitForOutputAsync("user2");

        await alice.WriteLineAsync($"salut {Text}");
        await bob.WaitForOutputAsync($"<user1> salut {Text}");
        await bob.WriteLineAsync($"re {Text}");
        await alice.WaitForOutputAsync($"<user2> re {Text}\n");
        await room.WaitForOutputAsync($"<user2> re {Text}");
    }

    [Fact]
    public async Task Windows_marcel_connect_talks_with_the_chapters_Python_server()
    {
        WindowsBuild windows = await WindowsBuild.GetAsync();
        string python = ExternalProgram.Require("python3");
        int port = Loopback.FreePort();
        await using PeerProcess server = PeerProcess.Start(python, ["-u", SeedScript.OnPort("serveur_py3.py", port)], new Dictionary<string, string> { ["LANG"] = "fr_FR.UTF-8" });
        await server.WaitForOutputAsync("Serveur prêt, en attente de requêtes...");
        await using PeerProcess client = windows.Start(["connect", "127.0.0.1", Port(port)], new Dictionary<string, string> { ["LANG"] = "fr_FR.UTF-8" });

        await client.WaitForOutputAsync("S> Vous êtes connecté au serveur Marcel. Envoyez vos messages.");
        await client.WriteLineAsync($"bonjour {Text}");
        await server.WaitForOutputAsync($"C> bonjour {Text}\n");
        await server.WriteLineAsync($"salut {Text}");
        await client.WaitForOutputAsync($"S> salut {Text}");
    }

    [Fact]
    public async Task Windows_marcel_fetch_gets_a_page_through_tinyproxy_with_Basic_auth()
    {
        WindowsBuild windows = await WindowsBuild.GetAsync();
        await using NginxServer nginx = await NginxServer.StartAsync();
        await using TinyproxyServer proxy = await TinyproxyServer.StartAsync();
        nginx.Put("/bonjour.txt", System.Text.Encoding.UTF8.GetBytes($"Bonjour, le réseau ! {Text}\n"));

        await using PeerProcess fetch = windows.Start("fetch", "-x", proxy.Address, "-U", $"{TinyproxyServer.User}:{TinyproxyServer.Password}", nginx.Url("/bonjour.txt"));
        Assert.Equal(0, await fetch.WaitForExitAsync());
        Assert.Equal($"Bonjour, le réseau ! {Text}\n", WindowsBuild.Lf(fetch.Output));
        Assert.DoesNotContain(TinyproxyServer.Password, fetch.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ctrl_C_stops_the_Windows_server_gracefully_with_the_goodbye()
    {
        WindowsBuild windows = await WindowsBuild.GetAsync();
        await using PeerProcess server = windows.Start("serve", "--host", "127.0.0.1", "--port", "0");
        int port = await MarcelCli.ListeningPortAsync(server);
        await using LineClient client = await LineClient.ConnectAsync(port);
        Assert.Equal("You are connected to the Marcel server. Send your messages.", await client.ReadLineAsync());
        await server.WaitForOutputAsync("Client connected");

        // Wine turns SIGINT into the console's CTRL_C_EVENT, which .NET hands to the handler as SIGINT.
        server.Signal(2);
        Assert.Equal(["Goodbye!"], await client.ReadToEndAsync());
        Assert.Equal(0, await server.WaitForExitAsync());
    }

    [Fact]
    public async Task Windows_udp_room_carries_UTF_8_between_a_Linux_nc_u_and_a_Linux_marcel_connect_udp_and_stops_on_Ctrl_C()
    {
        WindowsBuild windows = await WindowsBuild.GetAsync();
        string nc = ExternalProgram.Require("nc");
        await using PeerProcess room = windows.Start("serve", "--chat", "--udp", "--host", "127.0.0.1", "--port", "0");
        int port = await MarcelCli.ListeningPortAsync(room);
        await using PeerProcess alice = PeerProcess.Start(nc, ["-u", "127.0.0.1", Port(port)]);
        await alice.WriteLineAsync(string.Empty); // Joins; an empty line says nothing.
        await alice.WaitForOutputAsync("you are user1.");
        await alice.WriteLineAsync(string.Empty); // A second datagram: alice shows it receives, so the room's traffic may flow to her.
        await using PeerProcess bob = MarcelCli.Start("connect", "--udp", "127.0.0.1", Port(port));
        await bob.WriteLineAsync($"salut {Text}");
        await alice.WaitForOutputAsync($"<user2> salut {Text}\n");
        await alice.WriteLineAsync($"re {Text}");
        await bob.WaitForOutputAsync($"<user1> re {Text}");
        await room.WaitForOutputAsync($"<user1> re {Text}");

        // The receive thread blocked in Windows' receive ends with the server: members told goodbye, exit code 0.
        room.Signal(2);
        await alice.WaitForOutputAsync("Goodbye!");
        Assert.Equal(0, await room.WaitForExitAsync());
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
