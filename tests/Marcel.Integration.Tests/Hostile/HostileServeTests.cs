using System.Net;
using System.Net.Sockets;
using System.Text;
using Marcel.Tests.Support;

namespace Marcel.Tests.Hostile;

/// <summary>
/// <c>marcel serve</c> facing broken and hostile clients: each test ends with a well-behaved client served as usual,
/// proof that the server stayed up and nobody else was harmed.
/// </summary>
public class HostileServeTests
{
    private const string Greeting = "You are connected to the Marcel server. Send your messages.";

    [Fact]
    public async Task An_endless_line_of_100_MB_is_cut_off_at_the_maximum_and_the_server_stays_up_and_small()
    {
        (PeerProcess server, int port) = await MarcelCli.ServeAsync("--keep-open");
        await using (server)
        {
            long peak = 0;
            await using (LineClient flooder = await LineClient.ConnectAsync(port))
            {
                Assert.Equal(Greeting, await flooder.ReadLineAsync());
                byte[] chunk = new byte[1024 * 1024];
                Array.Fill(chunk, (byte)'x');
                try
                {
                    for (int mb = 0; mb < 100; mb++)
                    {
                        await flooder.SendAsync(chunk);
                        peak = Math.Max(peak, ResidentMegabytes(server.Id));
                    }
                }
                catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
                {
                    // The server may close on us before the end: as good as draining.
                }

                flooder.Socket.Shutdown(SocketShutdown.Send);
                Assert.Contains("Message too long (over 65536 bytes): connection closed.", await flooder.ReadToEndAsync());
            }

            await server.WaitForOutputAsync("Connection interrupted. (The client sent a message over");
            // The flood is dropped as it comes, never held: the server stays the size of an idle one.
            Assert.InRange(peak, 1, 200);
            await AssertServedAsync(server, port);
        }
    }

    [Fact]
    public async Task A_line_of_exactly_the_maximum_passes_and_one_byte_more_is_refused_with_a_notice()
    {
        (PeerProcess server, int port) = await MarcelCli.ServeAsync("--keep-open", "--max-line", "16");
        await using (server)
        {
            await using (LineClient client = await LineClient.ConnectAsync(port))
            {
                Assert.Equal(Greeting, await client.ReadLineAsync());
                await client.SendAsync(new string('a', 16) + "\n" + new string('b', 16) + "\r\n");
                await server.WaitForOutputAsync($"C> {new string('a', 16)}\n");
                await server.WaitForOutputAsync($"C> {new string('b', 16)}\n");
                await client.SendAsync(new string('c', 17) + "\n");
                Assert.Equal(["Message too long (over 16 bytes): connection closed."], await client.ReadToEndAsync());
            }

            Assert.DoesNotContain("C> ccc", server.Output, StringComparison.Ordinal);
            await AssertServedAsync(server, port);
        }
    }

    [Fact]
    public async Task NUL_bytes_and_invalid_or_overlong_UTF8_become_visible_symbols_and_the_conversation_goes_on()
    {
        (PeerProcess server, int port) = await MarcelCli.ServeAsync("--keep-open");
        await using (server)
        {
            await using (LineClient client = await LineClient.ConnectAsync(port))
            {
                Assert.Equal(Greeting, await client.ReadLineAsync());
                // NUL, an overlong "/" (C0 AF), a stray FF, a UTF-16 surrogate in UTF-8 (ED A0 80), a truncated sequence.
                await client.SendAsync(new byte[] { (byte)'a', 0, (byte)'b', 0xC0, 0xAF, 0xFF, 0xED, 0xA0, 0x80, 0xE2, 0x82, (byte)'z', (byte)'\n' });
                string shown = await server.WaitForOutputAsync("z\n");
                Assert.Contains("C> a\u2400b\uFFFD", shown, StringComparison.Ordinal);
                Assert.DoesNotContain('\0', shown);
                Assert.DoesNotContain("/", shown[shown.IndexOf("C> a", StringComparison.Ordinal)..], StringComparison.Ordinal);
                await client.SendLineAsync("still here");
                await server.WaitForOutputAsync("C> still here\n");
            }

            await AssertServedAsync(server, port);
        }
    }

    [Fact]
    public async Task A_flood_of_empty_lines_ends_that_conversation_and_nobody_elses()
    {
        (PeerProcess server, int port) = await MarcelCli.ServeAsync("--keep-open");
        await using (server)
        {
            await using (LineClient flooder = await LineClient.ConnectAsync(port))
            {
                Assert.Equal(Greeting, await flooder.ReadLineAsync());
                try
                {
                    await flooder.SendAsync(Enumerable.Repeat((byte)'\n', 4 * 1024 * 1024).ToArray());
                }
                catch (Exception e) when (e is IOException or SocketException)
                {
                    // Closed after the first empty line (the chapter's farewell): the rest is refused by the kernel.
                }
            }

            await server.WaitForOutputAsync("(The client said goodbye.)");
            await AssertServedAsync(server, port);
        }
    }

    [Fact]
    public async Task Escape_sequences_C1_controls_and_bare_CR_never_reach_the_operators_console_raw()
    {
        (PeerProcess server, int port) = await MarcelCli.ServeAsync("--keep-open");
        await using (server)
        {
            await using (LineClient client = await LineClient.ConnectAsync(port))
            {
                Assert.Equal(Greeting, await client.ReadLineAsync());
                // Retitle the window, clear the screen, home the cursor, an 8-bit CSI, a bare CR that would overwrite the line, a bell.
                await client.SendAsync("\u001b]0;pwned\u0007\u001b[2J\u001b[1;1H\u009b31mred\rfake prompt\u0008\u0007end\n");
                string shown = await server.WaitForOutputAsync("end\n");
                string line = shown[shown.IndexOf("C> ", StringComparison.Ordinal)..];
                Assert.Contains("C> \u241b]0;pwned\u2407\u241b[2J\u241b[1;1H\\u009b31mred\u240dfake prompt\u2408\u2407end\n", line, StringComparison.Ordinal);
                Assert.DoesNotContain(line, c => c is '\u001b' or '\u0007' or '\u009b' or '\r' or '\b');
            }

            await AssertServedAsync(server, port);
        }
    }

    [Fact]
    public async Task A_slowloris_at_one_byte_a_second_holds_only_its_own_conversation_which_the_operator_can_end()
    {
        (PeerProcess server, int port) = await MarcelCli.ServeAsync("--keep-open");
        await using (server)
        {
            await using LineClient slow = await LineClient.ConnectAsync(port);
            Assert.Equal(Greeting, await slow.ReadLineAsync());
            await using LineClient next = await LineClient.ConnectAsync(port);
            await server.WaitForOutputAsync("is waiting its turn (position 1).");
            foreach (char c in "slow")
            {
                await slow.SendAsync(c.ToString());
                await server.WaitForOutputAsync($"C> {c}\n");
                // Pacing, not synchronisation: the slowloris is the subject, one byte a second as a real one sends.
                await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
            }

            await server.WriteLineAsync("FIN");
            Assert.Equal(["Goodbye!"], await slow.ReadToEndAsync());
            Assert.StartsWith("You are number 1 in line", await next.ReadLineAsync(), StringComparison.Ordinal);
            Assert.Equal("It is your turn.", await next.ReadLineAsync());
            Assert.Equal(Greeting, await next.ReadLineAsync());
        }
    }

    [Fact]
    public async Task A_client_that_connects_and_sends_nothing_is_ended_by_the_operator_and_the_next_is_served()
    {
        (PeerProcess server, int port) = await MarcelCli.ServeAsync("--keep-open");
        await using (server)
        {
            await using (LineClient silent = await LineClient.ConnectAsync(port))
            {
                await server.WaitForOutputAsync("Client connected");
                await server.WriteLineAsync("FIN");
                Assert.Equal([Greeting, "Goodbye!"], await silent.ReadToEndAsync());
            }

            await AssertServedAsync(server, port);
        }
    }

    [Fact]
    public async Task A_half_closed_client_gets_its_last_words_shown_and_the_goodbye_it_can_still_read()
    {
        (PeerProcess server, int port) = await MarcelCli.ServeAsync("--keep-open");
        await using (server)
        {
            await using (LineClient client = await LineClient.ConnectAsync(port))
            {
                Assert.Equal(Greeting, await client.ReadLineAsync());
                await client.SendLineAsync("last words");
                client.Socket.Shutdown(SocketShutdown.Send);
                Assert.Equal(["Goodbye!"], await client.ReadToEndAsync());
            }

            await server.WaitForOutputAsync("C> last words\n");
            await server.WaitForOutputAsync("(The client hung up.)");
            await AssertServedAsync(server, port);
        }
    }

    [Fact]
    public async Task A_reset_in_the_middle_of_a_message_does_not_bring_the_server_down()
    {
        (PeerProcess server, int port) = await MarcelCli.ServeAsync("--keep-open");
        await using (server)
        {
            for (int i = 0; i < 3; i++)
            {
                using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), Timeouts.StepToken());
                await socket.SendAsync(Encoding.ASCII.GetBytes(new string('p', 1000 * (i + 1))), Timeouts.StepToken());
                socket.LingerState = new LingerOption(true, 0);
                socket.Close(); // RST, not FIN.
                await server.WaitForOutputAsync("(The client hung up.)", count: i + 1);
            }

            Assert.DoesNotContain("Unhandled", server.Error, StringComparison.Ordinal);
            await AssertServedAsync(server, port);
        }
    }

    /// <summary>A well-behaved client is greeted, heard, and said goodbye to: the server is up and serving.</summary>
    internal static async Task AssertServedAsync(PeerProcess server, int port)
    {
        string marker = Guid.NewGuid().ToString("N")[..12]; // Short: some tests run with a tiny --max-line.
        await using LineClient client = await LineClient.ConnectAsync(port);
        string? first = await client.ReadLineAsync();
        if (first?.StartsWith("You are number ", StringComparison.Ordinal) == true)
        {
            // The previous client's hang-up was not yet seen: this one waited its turn, and is told when it comes.
            Assert.Equal("It is your turn.", await client.ReadLineAsync());
            first = await client.ReadLineAsync();
        }

        Assert.Equal(Greeting, first);
        await client.SendLineAsync(marker);
        await server.WaitForOutputAsync($"C> {marker}\n");
        await client.SendLineAsync("fin");
        Assert.Equal(["Goodbye!"], await client.ReadToEndAsync());
        Assert.False(server.HasExited);
    }

    /// <summary>VmRSS of a process, in MiB.</summary>
    internal static long ResidentMegabytes(int pid)
    {
        string line = File.ReadAllLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
    }
}
