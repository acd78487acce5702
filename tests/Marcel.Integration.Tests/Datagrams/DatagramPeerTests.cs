using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Marcel.Tests.Support;

namespace Marcel.Tests.Datagrams;

/// <summary><c>marcel serve --udp</c> and <c>marcel connect --udp</c> against nc -u, ncat -u and socat, and against silence.</summary>
public class DatagramPeerTests
{
    private const string Greeting = "You are connected to the Marcel server. Send your messages.\n";

    public static TheoryData<string> Peers => ["nc", "ncat", "socat"];

    [Theory]
    [MemberData(nameof(Peers))]
    public async Task A_udp_peer_gets_the_greeting_talks_with_the_operator_and_fin_gets_the_goodbye(string peer)
    {
        string program = ExternalProgram.Require(peer);
        (PeerProcess server, int port) = await MarcelCli.ServeAsync("--udp");
        await using (server)
        {
            string target = Port(port);
            string[] arguments = peer == "socat" ? ["-", "UDP:127.0.0.1:" + target] : ["-u", "127.0.0.1", target];
            await using PeerProcess client = PeerProcess.Start(program, arguments);
            await client.WriteLineAsync("hello from " + peer);
            await server.WaitForOutputAsync("C> hello from " + peer + "\n");
            await client.WaitForOutputAsync(Greeting);
            await server.WriteLineAsync("hello " + peer);
            await client.WaitForOutputAsync("hello " + peer + "\n");
            await client.WriteLineAsync("fin");
            await client.WaitForOutputAsync("Goodbye!\n");
            await server.WaitForOutputAsync("(The client said goodbye.)");
            Assert.Equal(Greeting + "hello " + peer + "\nGoodbye!\n", client.Output);
        }
    }

    [Theory]
    [MemberData(nameof(Peers))]
    public async Task Marcel_connect_udp_talks_with_a_listening_peer_and_ends_on_its_fin(string peer)
    {
        string program = ExternalProgram.Require(peer);
        int port = UdpPeer.UnusedPort();
        // Verbose, each says on stderr once it is bound: a datagram sent before would be lost.
        (string[] arguments, string bound) = peer switch
        {
            "socat" => ((string[])["-d", "-d", $"UDP-LISTEN:{port},bind=127.0.0.1", "-"], "listening on"),
            "ncat" => (["-v", "-u", "-l", "127.0.0.1", Port(port)], "Listening on"),
            _ => (["-v", "-u", "-l", "127.0.0.1", Port(port)], "Bound on"),
        };
        await using PeerProcess listener = PeerProcess.Start(program, arguments);
        await listener.WaitForErrorAsync(bound);
        await using PeerProcess client = MarcelCli.Start("connect", "--udp", "127.0.0.1", Port(port));
        await client.WaitForOutputAsync("Datagrams to 127.0.0.1:" + Port(port));
        await client.WriteLineAsync("hi from marcel");
        await listener.WaitForOutputAsync("hi from marcel\n");
        await listener.WriteLineAsync("hi from " + peer);
        await client.WaitForOutputAsync("S> hi from " + peer + "\n");
        await listener.WriteLineAsync("FIN");
        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.EndsWith("Connection interrupted.\n", client.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_piped_script_over_udp_gets_the_greeting_and_goodbye_and_verbose_shows_datagram_sizes()
    {
        (PeerProcess server, int port) = await MarcelCli.ServeAsync("--udp");
        await using (server)
        await using (PeerProcess client = MarcelCli.Start("connect", "--udp", "--verbose", "127.0.0.1", Port(port)))
        {
            await client.WriteAsync("bonjour\nFIN\n");
            client.CloseInput();
            Assert.Equal(0, await client.WaitForExitAsync());
            Assert.Equal($"Datagrams to 127.0.0.1:{port} (UDP: nothing is connected; each line you send is one datagram).\nS> {Greeting}S> Goodbye!\nConnection interrupted.\n", client.Output);
            Assert.Contains("[sent a datagram of 8 bytes]", client.Error, StringComparison.Ordinal);
            Assert.Contains("[received a datagram of 60 bytes]", client.Error, StringComparison.Ordinal);
            Assert.Contains("[received a datagram of 0 bytes]", client.Error, StringComparison.Ordinal); // The server's hang-up.
            await server.WaitForOutputAsync("C> bonjour\nC> FIN\n");
            Assert.Contains($"Listening on 127.0.0.1:{port} (UDP)\n", server.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Silence_for_the_idle_timeout_ends_the_conversation_and_the_console_says_udp_has_no_hang_up()
    {
        (PeerProcess server, int port) = await MarcelCli.ServeAsync("--udp", "--idle-timeout", "1");
        await using (server)
        {
            using var peer = UdpPeer.To(port);
            await peer.SendAsync("bonjour\n");
            Assert.StartsWith("You are connected", await peer.ReceiveTextAsync(), StringComparison.Ordinal);
            // The clock here is the real one (a whole process): one second, awaited through the console line it prints.
            await server.WaitForOutputAsync("(The client sent nothing for 1 s; UDP has no hang-up, so silence ends the conversation.)");
            Assert.Equal("Goodbye!\n", await peer.ReceiveTextAsync());
            Assert.Empty(await peer.ReceiveAsync());
        }
    }

    [Fact]
    public async Task A_port_nobody_listens_on_is_reported_as_no_server_not_a_hang()
    {
        int port = UdpPeer.UnusedPort();
        await using PeerProcess client = MarcelCli.Start("connect", "--udp", "--wait", "30", "127.0.0.1", Port(port));
        await client.WriteLineAsync("anyone?");
        Assert.Equal(3, await client.WaitForExitAsync(Timeouts.Step));
        Assert.Equal($"No server at 127.0.0.1:{port}: the port is unreachable (ICMP).\n", client.Error);
    }

    [Fact]
    public async Task A_server_that_never_answers_is_reported_after_wait_and_a_line_too_long_is_refused_not_cut()
    {
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)silent.LocalEndPoint!).Port;
        await using PeerProcess client = MarcelCli.Start("connect", "--udp", "--wait", "1", "127.0.0.1", Port(port));
        await client.WriteAsync(new string('a', 1300) + "\nshort\n");
        client.CloseInput();
        Assert.Equal(3, await client.WaitForExitAsync());
        Assert.Equal(
            $"Line not sent: 1301 bytes is over the largest datagram (1200 bytes, --max-datagram).\nNo answer from 127.0.0.1:{port} within 1 s (UDP: the server may be absent, or its answers lost).\n",
            client.Error);
        byte[] buffer = new byte[2000];
        int received = await silent.ReceiveAsync(buffer, SocketFlags.None, Timeouts.StepToken());
        Assert.Equal("short\n", Encoding.UTF8.GetString(buffer, 0, received));
        // Deliberately no wait: the client has exited, so all it sent is already here; the long line is not.
        Assert.Equal(0, silent.Available);
    }

    [Fact]
    public async Task A_udp_port_already_taken_is_a_bind_error()
    {
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)holder.LocalEndPoint!).Port;
        await using PeerProcess server = MarcelCli.Start("serve", "--udp", "--host", "127.0.0.1", "--port", Port(port));
        Assert.Equal(2, await server.WaitForExitAsync());
        Assert.Equal($"Cannot listen on 127.0.0.1:{port}: the port is already in use\n", server.Error);
    }

    [Theory]
    [InlineData("en", "--udp", "Listening on 127.0.0.1:{0} (UDP)\n")]
    [InlineData("fr", "--udp", "À l'écoute sur 127.0.0.1:{0} (UDP)\n")]
    [InlineData("en", "--chat --udp", "Chat room listening on 127.0.0.1:{0} (UDP)\n")]
    [InlineData("fr", "--chat --udp", "Salon à l'écoute sur 127.0.0.1:{0} (UDP)\n")]
    [InlineData("en", "--chat --udp-port {1}", "Chat room listening on 127.0.0.1:{0} (TCP), 127.0.0.1:{1} (UDP)\n")]
    [InlineData("fr", "--chat --udp-port {1}", "Salon à l'écoute sur 127.0.0.1:{0} (TCP), 127.0.0.1:{1} (UDP)\n")]
    [InlineData("en", "", "Listening on 127.0.0.1:{0}\n")]
    public async Task The_listening_line_says_which_endpoints_take_datagrams(string language, string options, string expected)
    {
        int udpPort = UdpPeer.UnusedPort();
        (PeerProcess server, int port) = await MarcelCli.ServeAsync(["--lang", language, .. string.Format(CultureInfo.InvariantCulture, options, 0, udpPort).Split(' ', StringSplitOptions.RemoveEmptyEntries)]);
        await using (server)
        {
            await server.WaitForOutputAsync(string.Format(CultureInfo.InvariantCulture, expected, port, udpPort));
        }
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
