using System.Net;
using System.Net.Sockets;
using System.Text;
using Marcel.Tests.Support;

namespace Marcel.Tests.Dialogue;

/// <summary><c>marcel serve</c> as a person and a raw TCP client use it.</summary>
public class ServeTests
{
    private const string Greeting = "You are connected to the Marcel server. Send your messages.";

    [Fact]
    public async Task A_whole_conversation_greets_shows_C_lines_relays_replies_and_says_goodbye_on_fin()
    {
        (PeerProcess server, int port) = await MarcelCli.ServeAsync();
        await using (server)
        {
            await server.WaitForOutputAsync("Server ready, waiting for requests...");
            await using LineClient client = await LineClient.ConnectAsync(port);
            Assert.Equal(Greeting, await client.ReadLineAsync());
            await server.WaitForOutputAsync("Client connected, IP address 127.0.0.1, port ");

            await client.SendAsync("bonjour\r\n");
            await server.WaitForOutputAsync("C> bonjour\n");
            await server.WriteLineAsync("salut, ça va ?");
            Assert.Equal("salut, ça va ?", await client.ReadLineAsync());

            await client.SendLineAsync("  fin ");
            Assert.Equal(["Goodbye!"], await client.ReadToEndAsync());
            await server.WaitForOutputAsync("Connection interrupted. (The client said goodbye.)");
            await server.WaitForOutputAsync("<R>estart <T>erminate ? ");
            await server.WriteLineAsync("T");
            Assert.Equal(0, await server.WaitForExitAsync());
        }
    }

    [Fact]
    public async Task In_French_the_server_speaks_the_chapters_own_words()
    {
        PeerProcess server = MarcelCli.Start(["serve", "--host", "127.0.0.1", "--port", "0"], new Dictionary<string, string> { ["LANG"] = "fr_FR.UTF-8" });
        await using (server)
        {
            int port = await MarcelCli.ListeningPortAsync(server);
            await server.WaitForOutputAsync("Serveur prêt, en attente de requêtes...");
            await using LineClient client = await LineClient.ConnectAsync(port);
            Assert.Equal("Vous êtes connecté au serveur Marcel. Envoyez vos messages.", await client.ReadLineAsync());
            await server.WaitForOutputAsync("Client connecté, adresse IP 127.0.0.1, port ");
            await client.SendLineAsync("FIN");
            Assert.Equal(["Au revoir !"], await client.ReadToEndAsync());
            await server.WaitForOutputAsync("Connexion interrompue.");
            await server.WaitForOutputAsync("<R>ecommencer <T>erminer ? ");
            await server.WriteLineAsync("t");
            Assert.Equal(0, await server.WaitForExitAsync());
        }
    }

    [Fact]
    public async Task The_lang_option_beats_the_environment()
    {
        await using PeerProcess server = MarcelCli.Start("serve", "--lang", "fr", "--host", "127.0.0.1", "--port", "0", "--name", "Gaston");
        int port = await MarcelCli.ListeningPortAsync(server);
        await using LineClient client = await LineClient.ConnectAsync(port);
        Assert.Equal("Vous êtes connecté au serveur Gaston. Envoyez vos messages.", await client.ReadLineAsync());
    }

    [Fact]
    public async Task A_custom_greeting_replaces_the_chapters()
    {
        (PeerProcess server, int port) = await MarcelCli.ServeAsync("--greeting", "Hello from the lab");
        await using (server)
        {
            await using LineClient client = await LineClient.ConnectAsync(port);
            Assert.Equal("Hello from the lab", await client.ReadLineAsync());
        }
    }

    [Fact]
    public async Task Clients_who_arrive_during_a_conversation_wait_in_order_and_are_served_next()
    {
        (PeerProcess server, int port) = await MarcelCli.ServeAsync("--keep-open");
        await using (server)
        {
            await using LineClient first = await LineClient.ConnectAsync(port);
            Assert.Equal(Greeting, await first.ReadLineAsync());
            await using LineClient second = await LineClient.ConnectAsync(port);
            await server.WaitForOutputAsync("is waiting its turn (position 1)");
            Assert.StartsWith("You are number 1 in line: Marcel is talking with someone else", await second.ReadLineAsync(), StringComparison.Ordinal);
            await using LineClient third = await LineClient.ConnectAsync(port);
            await server.WaitForOutputAsync("is waiting its turn (position 2)");
            Assert.StartsWith("You are number 2 in line", await third.ReadLineAsync(), StringComparison.Ordinal);
            await second.SendLineAsync("I was second"); // Typed while waiting: must not be lost.

            await first.SendLineAsync("FIN");
            Assert.Equal(["Goodbye!"], await first.ReadToEndAsync());

            Assert.Equal("It is your turn.", await second.ReadLineAsync());
            Assert.Equal(Greeting, await second.ReadLineAsync());
            await server.WaitForOutputAsync("C> I was second");
            await second.SendLineAsync("FIN");
            Assert.Equal(["Goodbye!"], await second.ReadToEndAsync());

            Assert.Equal("It is your turn.", await third.ReadLineAsync());
            Assert.Equal(Greeting, await third.ReadLineAsync());
            await server.WaitForOutputAsync("Client connected", count: 3);
        }
    }

    [Fact]
    public async Task In_french_a_waiting_client_is_told_its_number_and_then_its_turn()
    {
        await using PeerProcess server = MarcelCli.Start("serve", "--lang", "fr", "--keep-open", "--host", "127.0.0.1", "--port", "0");
        int port = await MarcelCli.ListeningPortAsync(server);
        await using LineClient first = await LineClient.ConnectAsync(port);
        Assert.Equal("Vous êtes connecté au serveur Marcel. Envoyez vos messages.", await first.ReadLineAsync());
        await using LineClient second = await LineClient.ConnectAsync(port);
        Assert.StartsWith("Vous êtes le numéro 1 dans la file : Marcel parle avec quelqu'un d'autre", await second.ReadLineAsync(), StringComparison.Ordinal);
        await first.SendLineAsync("fin");
        Assert.Equal(["Au revoir !"], await first.ReadToEndAsync());
        Assert.Equal("C'est votre tour.", await second.ReadLineAsync());
        Assert.Equal("Vous êtes connecté au serveur Marcel. Envoyez vos messages.", await second.ReadLineAsync());
    }

    [Fact]
    public async Task What_the_operator_types_while_nobody_is_connected_is_not_sent_to_the_next_client()
    {
        (PeerProcess server, int port) = await MarcelCli.ServeAsync("--keep-open");
        await using (server)
        {
            await server.WaitForOutputAsync("Server ready, waiting for requests...");
            await server.WriteLineAsync("anybody there?");
            await server.WaitForOutputAsync("Nobody is connected: that line was not sent.");

            await using LineClient client = await LineClient.ConnectAsync(port);
            Assert.Equal(Greeting, await client.ReadLineAsync());
            await server.WaitForOutputAsync("Client connected");
            await server.WriteLineAsync("now you are here");
            Assert.Equal("now you are here", await client.ReadLineAsync()); // Not "anybody there?".
        }
    }

    [Fact]
    public async Task The_operator_typing_FIN_ends_the_conversation_from_the_server_side()
    {
        (PeerProcess server, int port) = await MarcelCli.ServeAsync();
        await using (server)
        {
            await using LineClient client = await LineClient.ConnectAsync(port);
            Assert.Equal(Greeting, await client.ReadLineAsync());
            await server.WriteLineAsync("Fin");
            Assert.Equal(["Goodbye!"], await client.ReadToEndAsync());
            await server.WaitForOutputAsync("(You ended the conversation.)");
        }
    }

    [Fact]
    public async Task Restart_serves_the_next_client_and_the_end_of_input_at_the_question_terminates()
    {
        (PeerProcess server, int port) = await MarcelCli.ServeAsync();
        await using (server)
        {
            await using (LineClient first = await LineClient.ConnectAsync(port))
            {
                Assert.Equal(Greeting, await first.ReadLineAsync());
                await first.SendLineAsync("");
                Assert.Equal(["Goodbye!"], await first.ReadToEndAsync());
            }

            await server.WaitForOutputAsync("<R>estart <T>erminate ? ");
            await server.WriteLineAsync("R");
            await server.WaitForOutputAsync("Server ready, waiting for requests...", count: 2);
            await using (LineClient second = await LineClient.ConnectAsync(port))
            {
                Assert.Equal(Greeting, await second.ReadLineAsync());
                second.Socket.Close(); // Hangs up without a word.
            }

            await server.WaitForOutputAsync("(The client hung up.)");
            await server.WaitForOutputAsync("<R>estart <T>erminate ? ", count: 2);
            server.CloseInput();
            Assert.Equal(0, await server.WaitForExitAsync());
        }
    }

    [Fact]
    public async Task A_10_MB_message_without_newline_is_refused_and_the_server_goes_on()
    {
        (PeerProcess server, int port) = await MarcelCli.ServeAsync("--keep-open");
        await using (server)
        {
            await using (LineClient flooder = await LineClient.ConnectAsync(port))
            {
                Assert.Equal(Greeting, await flooder.ReadLineAsync());
                byte[] flood = new byte[10 * 1024 * 1024];
                Array.Fill(flood, (byte)'x');
                try
                {
                    await flooder.SendAsync(flood);
                }
                catch (IOException)
                {
                    // The server may close before all 10 MB are written: that is the point.
                }

                Assert.Equal("Message too long (over 65536 bytes): connection closed.", await flooder.ReadLineAsync());
            }

            await server.WaitForOutputAsync("(The client sent a message over 65536 bytes.)");
            await using LineClient next = await LineClient.ConnectAsync(port);
            Assert.Equal(Greeting, await next.ReadLineAsync());
        }
    }

    [Fact]
    public async Task Invalid_UTF8_is_shown_with_replacement_characters_and_the_conversation_goes_on()
    {
        (PeerProcess server, int port) = await MarcelCli.ServeAsync();
        await using (server)
        {
            await using LineClient client = await LineClient.ConnectAsync(port);
            Assert.Equal(Greeting, await client.ReadLineAsync());
            await client.SendAsync(new byte[] { 0xff, 0xfe, (byte)'A', (byte)'\n' });
            await server.WaitForOutputAsync("C> \uFFFD\uFFFDA\n");
            await server.WriteLineAsync("still here");
            Assert.Equal("still here", await client.ReadLineAsync());
        }
    }

    [Fact]
    public async Task A_client_that_disconnects_mid_message_is_shown_what_it_sent_and_the_next_is_served()
    {
        (PeerProcess server, int port) = await MarcelCli.ServeAsync("--keep-open");
        await using (server)
        {
            await using (LineClient client = await LineClient.ConnectAsync(port))
            {
                Assert.Equal(Greeting, await client.ReadLineAsync());
                await client.SendAsync("half a mess");
                client.Socket.Shutdown(SocketShutdown.Send);
                await server.WaitForOutputAsync("C> half a mess");
            }

            await server.WaitForOutputAsync("(The client hung up.)");
            await using LineClient next = await LineClient.ConnectAsync(port);
            Assert.Equal(Greeting, await next.ReadLineAsync());
        }
    }

    [Fact]
    public async Task A_port_in_use_is_a_clear_error_naming_the_address()
    {
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        squatter.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        squatter.Listen();
        int port = ((IPEndPoint)squatter.LocalEndPoint!).Port;

        await using PeerProcess server = MarcelCli.Start("serve", "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2, await server.WaitForExitAsync());
        Assert.Equal($"Cannot listen on 127.0.0.1:{port}: the port is already in use", server.Error.Trim());
    }

    [Fact]
    public async Task A_port_held_only_by_a_client_connection_in_time_wait_says_so_and_that_it_will_pass()
    {
        // What happens to port 50000 on a machine that opens many connections: a client's old connection holds it.
        int port = await Loopback.PortInTimeWaitAsync(serverClosesFirst: false);

        await using PeerProcess server = MarcelCli.Start("serve", "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2, await server.WaitForExitAsync());
        Assert.Equal(
            $"Cannot listen on 127.0.0.1:{port}: the port is held by a recent connection, not by a server; it frees itself within a minute: try again shortly, or choose another port",
            server.Error.Trim());
    }

    [Fact]
    public async Task An_address_that_is_not_this_machines_is_a_clear_error()
    {
        // 192.0.2.1 is TEST-NET-1: binding to it fails locally and sends nothing anywhere.
        await using PeerProcess server = MarcelCli.Start("serve", "--host", "192.0.2.1", "--port", "0");
        Assert.Equal(2, await server.WaitForExitAsync());
        Assert.Contains("192.0.2.1:0: this address is not one of this machine's", server.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SIGTERM_says_goodbye_to_the_client_and_exits_0()
    {
        (PeerProcess server, int port) = await MarcelCli.ServeAsync();
        await using (server)
        {
            await using LineClient client = await LineClient.ConnectAsync(port);
            Assert.Equal(Greeting, await client.ReadLineAsync());
            await server.WaitForOutputAsync("Client connected");
            server.Signal(15);
            Assert.Equal(["Goodbye!"], await client.ReadToEndAsync());
            Assert.Equal(0, await server.WaitForExitAsync());
        }
    }

    [Fact]
    public async Task Ctrl_C_with_nobody_connected_exits_0()
    {
        (PeerProcess server, _) = await MarcelCli.ServeAsync();
        await using (server)
        {
            await server.WaitForOutputAsync("Server ready");
            server.Signal(2);
            Assert.Equal(0, await server.WaitForExitAsync());
        }
    }

    [Fact]
    public async Task A_peers_escape_sequences_never_reach_the_operators_terminal()
    {
        (PeerProcess server, int port) = await MarcelCli.ServeAsync();
        await using (server)
        {
            await using LineClient client = await LineClient.ConnectAsync(port);
            Assert.Equal(Greeting, await client.ReadLineAsync());
            await client.SendAsync(Encoding.UTF8.GetBytes("\u001b]0;pwned\u0007\u001b[2Jhi\n"));
            string output = await server.WaitForOutputAsync("hi\n");
            Assert.DoesNotContain('\u001b', output);
            Assert.Contains("C> \u241b]0;pwned\u2407\u241b[2Jhi", output, StringComparison.Ordinal);
        }
    }
}
