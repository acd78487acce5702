using System.Globalization;
using Marcel.Tests.Support;

namespace Marcel.Tests.Dialogue;

/// <summary>
/// <c>marcel connect</c> in a real pseudo-terminal (util-linux <c>script</c> gives it one), typed at key by key as a
/// person does: a message arriving mid-line never garbles the half-typed line, and history recalls a line.
/// </summary>
public class TerminalTests
{
    [Fact]
    public async Task In_a_terminal_a_message_arriving_while_typing_is_printed_above_the_half_typed_line()
    {
        (PeerProcess server, int port) = await MarcelCli.ServeAsync();
        await using (server)
        {
            string command = $"dotnet {Path.Combine(AppContext.BaseDirectory, "marcel.dll")} connect 127.0.0.1 {port.ToString(CultureInfo.InvariantCulture)}";
            await using PeerProcess terminal = PseudoTerminal.Start(command);
            await terminal.WaitForOutputAsync("S> You are connected to the Marcel server. Send your messages.");
            await terminal.WaitForOutputAsync("C> ");

            await terminal.WriteAsync("ab");
            await terminal.WaitForOutputAsync("C> ab");
            await server.WriteLineAsync("arrives mid-line");
            string screen = await terminal.WaitForOutputAsync("S> arrives mid-line");
            // The incoming line starts on a cleared line, and the half-typed "ab" is drawn again under it.
            screen = await terminal.WaitForOutputAsync("C> ab", count: 2);
            string afterMessage = screen[screen.LastIndexOf("S> arrives mid-line", StringComparison.Ordinal)..];
            Assert.Contains("C> ab", afterMessage, StringComparison.Ordinal);
            Assert.Contains("\r\u001b[KS> arrives mid-line", screen, StringComparison.Ordinal);

            await terminal.WriteAsync("c\r");
            await server.WaitForOutputAsync("C> abc\n");

            await terminal.WriteAsync("\u001b[A\r"); // Up arrow recalls "abc".
            await server.WaitForOutputAsync("C> abc\n", count: 2);

            await server.WriteLineAsync("FIN");
            Assert.Equal(0, await terminal.WaitForExitAsync());
        }
    }

    [Fact]
    public async Task A_pasted_100000_character_line_is_drawn_without_a_redraw_per_key_and_is_refused_over_max_line()
    {
        (PeerProcess server, int port) = await MarcelCli.ServeAsync();
        await using (server)
        {
            await using PeerProcess terminal = PseudoTerminal.Start(Connect(port));
            // After the greeting: a line arriving mid-paste rightly redraws the half-typed line once (up to 100,000
            // characters), and under load the greeting came in the middle of the paste.
            await terminal.WaitForOutputAsync("S> You are connected to the Marcel server. Send your messages.");
            await terminal.WaitForOutputAsync("C> ");

            string paste = new('x', 100_000);
            await terminal.WriteAsync(paste + "\r");
            await terminal.WaitForOutputAsync("over --max-line (65536)");
            await terminal.WriteAsync("after\r");
            await server.WaitForOutputAsync("C> after\n");

            // Redrawing the line at each key wrote gigabytes. Bounds that hold however the paste is split into reads (that
            // split follows the machine's load): full-line redraws ("\r ESC[K", then prompt and line) come with the prompt,
            // the Enter and the notice, a handful, never one per pasted key; and each pasted character reaches the screen
            // at most twice: drawn as typed (or not at all while more keys are queued), and in the line as sent.
            string screen = terminal.Output;
            Assert.InRange(Occurrences(screen, "\u001b[K"), 1, 20);
            // (The slack is for the x of the other lines' words, such as "max-line".)
            Assert.InRange(screen.Count(c => c == 'x'), paste.Length, (2 * paste.Length) + 100);
            Assert.DoesNotContain("xxxxxxxxxx", server.Output, StringComparison.Ordinal);

            await server.WriteLineAsync("FIN");
            Assert.Equal(0, await terminal.WaitForExitAsync());
        }
    }

    [Fact]
    public async Task Backspace_at_the_end_of_a_long_wrapped_line_draws_a_few_bytes_not_the_line()
    {
        const int typed = 2000;
        const int erased = 60;
        (PeerProcess server, int port) = await MarcelCli.ServeAsync();
        await using (server)
        {
            await using PeerProcess terminal = await TypeLongLineAsync(port, typed);
            int before = terminal.Output.Length;
            await PressOneByOneAsync(terminal, "\u007f", erased);

            await terminal.WriteAsync("\r");
            await server.WaitForOutputAsync("C> " + new string('x', typed - erased) + "\n");

            // Each backspace: a move (up a row, to a column) and an erase, a few bytes. Redrawing the line wrote ~2,000
            // bytes per key. Then the line as sent (the prompt, the line, a new prompt).
            Assert.InRange(terminal.Output.Length - before, typed - erased, typed - erased + (erased * 24) + 100);

            await server.WriteLineAsync("FIN");
            Assert.Equal(0, await terminal.WaitForExitAsync());
        }
    }

    [Fact]
    public async Task Arrows_on_a_long_wrapped_line_move_the_cursor_in_a_few_bytes()
    {
        const int typed = 2000;
        const int moves = 60;
        (PeerProcess server, int port) = await MarcelCli.ServeAsync();
        await using (server)
        {
            await using PeerProcess terminal = await TypeLongLineAsync(port, typed);
            int before = terminal.Output.Length;
            await PressOneByOneAsync(terminal, "\u001b[D", moves);

            // An insertion in the middle redraws the line once; then the line goes with the y where the cursor was.
            await terminal.WriteAsync("y\r");
            await server.WaitForOutputAsync("C> " + new string('x', typed - moves) + "y" + new string('x', moves) + "\n");

            Assert.InRange(terminal.Output.Length - before, typed, (moves * 24) + (3 * typed) + 200);

            await server.WriteLineAsync("FIN");
            Assert.Equal(0, await terminal.WaitForExitAsync());
        }
    }

    /// <summary>
    /// <c>marcel connect</c> on a 40-column pseudo-terminal with <paramref name="typed"/> x typed and drawn: the line
    /// wraps over many rows, so edits cross from a row to the one above.
    /// </summary>
    private static async Task<PeerProcess> TypeLongLineAsync(int port, int typed)
    {
        PeerProcess terminal = PseudoTerminal.Start($"sh -c 'stty cols 40 rows 24 && exec {Connect(port)}'", new Dictionary<string, string> { ["TERM"] = "xterm" });
        try
        {
            await terminal.WaitForOutputAsync("S> You are connected to the Marcel server. Send your messages.");
            await terminal.WaitForOutputAsync("C> ");
            await terminal.WriteAsync(new string('x', typed));
            await terminal.WaitForOutputAsync(new string('x', typed));
            return terminal;
        }
        catch
        {
            await terminal.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Presses <paramref name="key"/> <paramref name="times"/> times, each drawn (an escape sequence written) before the
    /// next: keys queued together are drawn once, which would hide a per-key cost.
    /// </summary>
    private static async Task PressOneByOneAsync(PeerProcess terminal, string key, int times)
    {
        int escapes = Occurrences(terminal.Output, "\u001b[");
        for (int i = 1; i <= times; i++)
        {
            await terminal.WriteAsync(key);
            await terminal.WaitForOutputAsync("\u001b[", escapes + i);
        }
    }

    [Fact]
    public async Task Ctrl_D_half_closes_so_the_server_says_goodbye_at_once()
    {
        (PeerProcess server, int port) = await MarcelCli.ServeAsync("--keep-open");
        await using (server)
        {
            await using PeerProcess terminal = PseudoTerminal.Start(Connect(port) + " --wait 120");
            await terminal.WaitForOutputAsync("C> ");
            await terminal.WriteAsync("hi\r");
            await server.WaitForOutputAsync("C> hi\n");
            await terminal.WriteAsync("\u0004");

            Assert.Equal(0, await terminal.WaitForExitAsync(Timeouts.Step));
            Assert.Contains("S> Goodbye!", terminal.Output, StringComparison.Ordinal);
        }
    }

    private static int Occurrences(string text, string part)
    {
        int count = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal)) count++;
        return count;
    }

    private static string Connect(int port) =>
        $"dotnet {Path.Combine(AppContext.BaseDirectory, "marcel.dll")} connect 127.0.0.1 {port.ToString(CultureInfo.InvariantCulture)}";
}
