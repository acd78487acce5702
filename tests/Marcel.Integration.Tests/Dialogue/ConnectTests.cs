using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Marcel.Tests.Support;

namespace Marcel.Tests.Dialogue;

/// <summary><c>marcel connect</c> against marcel serve and against raw test servers.</summary>
public class ConnectTests
{
    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_piped_script_sends_its_lines_and_waits_for_the_answer_and_goodbye()
    {
        (PeerProcess server, int port) = await MarcelCli.ServeAsync();
        await using (server)
        await using (PeerProcess client = MarcelCli.Start("connect", "127.0.0.1", Port(port)))
        {
            await client.WriteAsync("bonjour\nFIN\n");
            client.CloseInput();
            Assert.Equal(0, await client.WaitForExitAsync());
            Assert.Equal(
                "Connection established with the server.\nS> You are connected to the Marcel server. Send your messages.\nS> Goodbye!\nConnection interrupted.\n",
                client.Output);
            await server.WaitForOutputAsync("C> bonjour\nC> FIN\n");
        }
    }

    [Fact]
    public async Task Lines_typed_and_replies_cross_in_both_directions_at_any_time()
    {
        (PeerProcess server, int port) = await MarcelCli.ServeAsync();
        await using (server)
        await using (PeerProcess client = MarcelCli.Start("connect", "127.0.0.1", Port(port)))
        {
            await client.WaitForOutputAsync("S> You are connected");
            await server.WriteLineAsync("first, unasked");
            await server.WriteLineAsync("second, unasked");
            await client.WaitForOutputAsync("S> first, unasked\nS> second, unasked\n");
            await client.WriteLineAsync("thanks");
            await server.WaitForOutputAsync("C> thanks");
            await server.WriteLineAsync("FIN");
            Assert.Equal(0, await client.WaitForExitAsync());
            Assert.EndsWith("S> Goodbye!\nConnection interrupted.\n", client.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_client_stops_when_the_server_says_FIN_without_showing_it()
    {
        using TcpListener listener = Loopback.Listen(out int port);
        await using PeerProcess client = MarcelCli.Start("connect", "127.0.0.1", Port(port));
        using Socket accepted = await listener.AcceptSocketAsync(Timeouts.StepToken());
        await accepted.SendAsync(Encoding.UTF8.GetBytes("hello\nfin\n"));
        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.Equal("Connection established with the server.\nS> hello\nConnection interrupted.\n", client.Output);
    }

    [Fact]
    public async Task A_refused_connection_is_one_clear_line_and_exit_code_3()
    {
        using Socket holder = Loopback.ClosedPort(out int port);
        await using PeerProcess client = MarcelCli.Start("connect", "127.0.0.1", Port(port));
        Assert.Equal(3, await client.WaitForExitAsync());
        Assert.Equal($"The connection failed (127.0.0.1:{port}: connection refused).\n", client.Error);
    }

    [Fact]
    public async Task In_French_a_failed_connection_says_La_connexion_a_echoue()
    {
        using Socket holder = Loopback.ClosedPort(out int port);
        await using PeerProcess client = MarcelCli.Start(["connect", "127.0.0.1", Port(port)], new Dictionary<string, string> { ["LANG"] = "fr_FR.UTF-8" });
        Assert.Equal(3, await client.WaitForExitAsync());
        Assert.StartsWith("La connexion a échoué", client.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_timeout_bounds_a_connection_attempt_that_gets_no_answer()
    {
        // A listener whose backlog is full drops further SYNs: the attempt hangs, on loopback, until the timeout.
        using var full = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        full.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        full.Listen(0);
        int port = ((IPEndPoint)full.LocalEndPoint!).Port;
        var fillers = new List<Socket>();
        try
        {
            for (int i = 0; i < 4; i++)
            {
                var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
                try { filler.Connect(new IPEndPoint(IPAddress.Loopback, port)); } catch (SocketException) { }
                fillers.Add(filler);
            }

            await using PeerProcess client = MarcelCli.Start("connect", "127.0.0.1", Port(port), "--timeout", "1");
            Assert.Equal(3, await client.WaitForExitAsync());
            Assert.Equal($"The connection failed (127.0.0.1:{port}: no answer within 1 s).\n", client.Error);
        }
        finally
        {
            fillers.ForEach(f => f.Dispose());
        }
    }

    [Fact]
    public async Task A_server_line_over_the_maximum_ends_the_client_with_exit_code_4()
    {
        using TcpListener listener = Loopback.Listen(out int port);
        await using PeerProcess client = MarcelCli.Start("connect", "127.0.0.1", Port(port), "--max-line", "100");
        using Socket accepted = await listener.AcceptSocketAsync(Timeouts.StepToken());
        await accepted.SendAsync(new byte[4096]);
        Assert.Equal(4, await client.WaitForExitAsync());
        Assert.Equal("The server sent a message over 100 bytes; connection closed.\n", client.Error);
    }

    [Fact]
    public async Task Without_a_goodbye_the_client_gives_up_after_the_wait_and_exits_0()
    {
        using TcpListener listener = Loopback.Listen(out int port);
        await using PeerProcess client = MarcelCli.Start("connect", "127.0.0.1", Port(port), "--wait", "0.5");
        using Socket accepted = await listener.AcceptSocketAsync(Timeouts.StepToken());
        client.CloseInput();
        Assert.Equal(0, await client.WaitForExitAsync());
    }

    [Fact]
    public async Task Ctrl_C_interrupts_the_client_with_exit_code_130()
    {
        using TcpListener listener = Loopback.Listen(out int port);
        await using PeerProcess client = MarcelCli.Start("connect", "127.0.0.1", Port(port));
        using Socket accepted = await listener.AcceptSocketAsync(Timeouts.StepToken());
        await client.WaitForOutputAsync("Connection established");
        client.Signal(2);
        Assert.Equal(130, await client.WaitForExitAsync());
    }
}
