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
        string script = ExternalProgram.Require("script");
        (PeerProcess server, int port) = await MarcelCli.ServeAsync();
        await using (server)
        {
            string command = $"dotnet {Path.Combine(AppContext.BaseDirectory, "marcel.dll")} connect 127.0.0.1 {port.ToString(CultureInfo.InvariantCulture)}";
            await using PeerProcess terminal = PeerProcess.Start(script, ["-qfec", command, "/dev/null"]);
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
}
