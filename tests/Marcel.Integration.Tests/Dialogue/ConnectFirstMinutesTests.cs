using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Marcel.Tests.Support;

namespace Marcel.Tests.Dialogue;

/// <summary>
/// <c>marcel connect</c> as a new user tries it beside nc: HOST:PORT, service names, the end of input answered at once
/// (half-close, as <c>nc -N</c>), chat lines without "S>", a line over --max-line kept from the server.
/// </summary>
public class ConnectFirstMinutesTests
{
    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Host_colon_port_is_accepted_as_one_argument()
    {
        (PeerProcess server, int port) = await MarcelCli.ServeAsync();
        await using (server)
        await using (PeerProcess client = MarcelCli.Start("connect", $"127.0.0.1:{Text(port)}"))
        {
            await client.WriteAsync("FIN\n");
            client.CloseInput();
            Assert.Equal(0, await client.WaitForExitAsync());
            Assert.Contains("S> Goodbye!", client.Output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("[::1]:9", "([::1]:9: connection refused)")]
    [InlineData("[::1]", "([::1]:9: connection refused)")]
    [InlineData("127.0.0.1:discard", "(127.0.0.1:9: connection refused)")]
    public async Task Bracketed_IPv6_and_service_names_are_understood_and_shown_as_written(string host, string shown)
    {
        string[] arguments = host.Contains(':', StringComparison.Ordinal) && !host.EndsWith(']') ? ["connect", host] : ["connect", host, "discard"];
        await using PeerProcess client = MarcelCli.Start(arguments);
        client.CloseInput();

        Assert.Equal(3, await client.WaitForExitAsync());
        Assert.Contains(shown, client.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("[[", client.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task At_the_end_of_piped_input_the_socket_is_half_closed_so_the_server_answers_at_once()
    {
        using TcpListener listener = Loopback.Listen(out int port);
        // --wait 120: only the half-close can end this well within the test's bounds.
        await using PeerProcess client = MarcelCli.Start("connect", "127.0.0.1", Text(port), "--wait", "120");
        using Socket accepted = await listener.AcceptSocketAsync(Timeouts.StepToken());
        await client.WriteAsync("hi\n");
        client.CloseInput();

        Assert.Equal("hi\n", await ReadToEndAsync(accepted)); // The end of the stream: the client shut its sending side.
        await accepted.SendAsync("Goodbye!\n"u8.ToArray());
        accepted.Close();

        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.Contains("S> Goodbye!", client.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Against_marcel_serve_a_piped_line_gets_the_goodbye_without_waiting()
    {
        (PeerProcess server, int port) = await MarcelCli.ServeAsync("--keep-open");
        await using (server)
        await using (PeerProcess client = MarcelCli.Start("connect", "127.0.0.1", Text(port), "--wait", "120"))
        {
            await client.WriteAsync("hi\n");
            client.CloseInput();
            Assert.Equal(0, await client.WaitForExitAsync(Timeouts.Step));
            Assert.EndsWith("S> Goodbye!\nConnection interrupted.\n", client.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_line_over_max_line_is_refused_before_it_is_sent_and_the_rest_goes_on()
    {
        (PeerProcess server, int port) = await MarcelCli.ServeAsync();
        await using (server)
        await using (PeerProcess client = MarcelCli.Start("connect", "127.0.0.1", Text(port), "--max-line", "64"))
        {
            // 64 bytes hold the server's greeting (59); the first line does not fit.
            await client.WriteAsync(new string('x', 70) + " too long\nshort\nFIN\n");
            client.CloseInput();
            Assert.Equal(0, await client.WaitForExitAsync());
            Assert.Contains("Not sent: the line is 79 bytes, over --max-line (64)", client.Error, StringComparison.Ordinal);
            string console = await server.WaitForOutputAsync("C> FIN");
            Assert.Contains("C> short\n", console, StringComparison.Ordinal);
            Assert.DoesNotContain("too long", console, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task In_a_chat_room_lines_that_name_their_speaker_have_no_S_prompt()
    {
        (PeerProcess server, int port) = await MarcelCli.ServeAsync("--chat");
        await using (server)
        await using (PeerProcess client = MarcelCli.Start("connect", "127.0.0.1", Text(port)))
        {
            await client.WaitForOutputAsync("you are user1");
            await using (LineClient bob = await LineClient.ConnectAsync(port))
            {
                await bob.ReadLineAsync();
                await bob.SendLineAsync("hello");
                string[] lines = (await client.WaitForOutputAsync("<user2> hello\n")).Split('\n');
                Assert.Contains("<user2> hello", lines);
                Assert.DoesNotContain(lines, line => line.StartsWith("S> <", StringComparison.Ordinal) || line.StartsWith("S> * ", StringComparison.Ordinal));
                Assert.Contains(lines, line => line.StartsWith("S> Welcome to", StringComparison.Ordinal)); // The room's own lines keep it.
            }

            await client.WriteAsync("/quit\n");
            client.CloseInput();
            Assert.Equal(0, await client.WaitForExitAsync());
        }
    }

    private static async Task<string> ReadToEndAsync(Socket socket)
    {
        var received = new StringBuilder();
        byte[] buffer = new byte[1024];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, Timeouts.StepToken())) > 0)
        {
            received.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        return received.ToString();
    }
}
