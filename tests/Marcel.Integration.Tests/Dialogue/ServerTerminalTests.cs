using Marcel.Tests.Support;

namespace Marcel.Tests.Dialogue;

/// <summary>
/// <c>marcel serve</c> in a real pseudo-terminal (util-linux <c>script</c>): what Ctrl-C leaves on the screen, and
/// what the clients get when the terminal itself is closed (SIGHUP).
/// </summary>
public class ServerTerminalTests
{
    [Fact]
    public async Task Ctrl_C_at_the_restart_question_keeps_the_question_and_ends_its_line()
    {
        await using PeerProcess terminal = StartOnTerminal();
        int port = await MarcelCli.ListeningPortAsync(terminal);
        await using (LineClient client = await LineClient.ConnectAsync(port))
        {
            await client.SendLineAsync("FIN");
            await client.ReadToEndAsync();
        }

        await terminal.WaitForOutputAsync("<R>estart <T>erminate ? ");
        await terminal.WriteAsync("\u0003");
        Assert.Equal(0, await terminal.WaitForExitAsync());

        string screen = terminal.Output;
        string after = screen[(screen.LastIndexOf("<R>estart <T>erminate ? ", StringComparison.Ordinal) + "<R>estart <T>erminate ? ".Length)..];
        // The line is ended (not erased by "\r ESC[K"), and the shell's prompt will start on a line of its own.
        Assert.StartsWith("\r\n", after.Replace("^C", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.EndsWith("\n", screen.Replace("\r\u001b[K", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--keep-open", "plus de 16 octets")] // The dialogue's own notice.
    [InlineData("--chat", "(ligne trop longue)")] // The room's leave notice gives the reason (the log's event 107 comes first).
    public async Task A_line_over_max_line_is_told_once_in_the_operators_language_never_after_the_prompt(string mode, string notice)
    {
        await using PeerProcess terminal = StartOnTerminal("--lang", "fr", "--max-line", "16", mode);
        int port = await MarcelCli.ListeningPortAsync(terminal);
        await using (LineClient client = await LineClient.ConnectAsync(port))
        {
            await client.ReadLineAsync();
            if (mode == "--keep-open") await terminal.WaitForOutputAsync("S> ");
            await client.SendLineAsync(new string('x', 40));
            await client.ReadToEndAsync();
        }

        string screen = await terminal.WaitForOutputAsync(notice);
        // The console's French notice, and not the English log record (once glued after the "S> " prompt).
        Assert.DoesNotContain("warn", screen, StringComparison.Ordinal);
        Assert.DoesNotContain("sent a line over", screen, StringComparison.Ordinal);
        Assert.DoesNotContain("connection closed", screen, StringComparison.Ordinal);
        terminal.Signal(15);
        await terminal.WaitForExitAsync();
    }

    [Theory]
    [InlineData("dialogue")]
    [InlineData("chat")]
    public async Task Ctrl_C_with_no_client_ends_the_line_so_the_shell_prompt_starts_on_its_own(string mode)
    {
        await using PeerProcess terminal = StartOnTerminal(mode == "chat" ? ["--chat"] : []);
        await MarcelCli.ListeningPortAsync(terminal);
        // The server's last start-up words come just after the listening line (the room's operator prompt, the
        // dialogue's "waiting for requests"): pressed before them, Ctrl-C's "^C" is followed by them (seen in CI for
        // both), which is not what this test is about.
        await terminal.WaitForOutputAsync(mode == "chat" ? "> " : "waiting for requests...");

        await terminal.WriteAsync("\u0003");
        Assert.Equal(0, await terminal.WaitForExitAsync());

        // What the terminal shows once "\r ESC[K" (erase the line) is applied: the last line must be ended.
        string screen = terminal.Output.Replace("\r\u001b[K", string.Empty, StringComparison.Ordinal);
        Assert.EndsWith("\n", screen, StringComparison.Ordinal);
        if (screen.Contains("^C", StringComparison.Ordinal))
        {
            Assert.StartsWith("\r\n", screen[(screen.LastIndexOf("^C", StringComparison.Ordinal) + 2)..], StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("dialogue", "Goodbye!")]
    [InlineData("chat", "The server is shutting down. Goodbye!")]
    public async Task Closing_the_servers_terminal_says_goodbye_to_the_clients_as_Ctrl_C_does(string mode, string goodbye)
    {
        await using PeerProcess terminal = StartOnTerminal(mode == "chat" ? ["--chat"] : []);
        int port = await MarcelCli.ListeningPortAsync(terminal);
        await using LineClient client = await LineClient.ConnectAsync(port);
        Assert.NotNull(await client.ReadLineAsync()); // The greeting: the conversation has started.

        // Killing script closes the terminal's master side: the kernel sends SIGHUP to marcel, and its writes fail.
        terminal.Signal(9);

        List<string> rest = await client.ReadToEndAsync();
        Assert.Contains(goodbye, rest);
    }

    private static PeerProcess StartOnTerminal(params string[] extra)
    {
        string command = string.Join(' ', ["dotnet", Path.Combine(AppContext.BaseDirectory, "marcel.dll"), "serve", "--host", "127.0.0.1", "--port", "0", .. extra]);
        return PseudoTerminal.Start(command);
    }
}
