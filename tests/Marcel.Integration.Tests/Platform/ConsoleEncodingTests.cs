using System.Text;
using Marcel.Cli.Platform;
using Marcel.Core;
using Marcel.Tests.Support;

namespace Marcel.Tests.Platform;

/// <summary>The console-encoding seam: UTF-8 on pipes whatever the system, unless the user names another.</summary>
public class ConsoleEncodingTests
{
    [Fact]
    public void Windows_pipes_are_UTF_8_without_a_byte_order_mark()
    {
        Assert.True(ConsoleEncoding.TryChooseForRedirected(OsKind.Windows, null, out Encoding? encoding));
        Assert.Equal(65001, encoding!.CodePage);
        Assert.Empty(encoding.GetPreamble());
    }

    [Theory]
    [InlineData(OsKind.Linux)]
    [InlineData(OsKind.MacOS)]
    public void Unix_pipes_keep_the_locales_encoding(OsKind os)
    {
        Assert.True(ConsoleEncoding.TryChooseForRedirected(os, " ", out Encoding? encoding));
        Assert.Null(encoding);
    }

    [Theory]
    [InlineData("latin1", 28591)]
    [InlineData("ISO-8859-1", 28591)]
    [InlineData("utf-16", 1200)]
    [InlineData("us-ascii", 20127)]
    [InlineData("UTF-8", 65001)]
    public void The_user_may_name_another_encoding_which_never_writes_a_byte_order_mark(string name, int codePage)
    {
        Assert.True(ConsoleEncoding.TryChooseForRedirected(OsKind.Windows, name, out Encoding? encoding));
        Assert.Equal(codePage, encoding!.CodePage);
        Assert.Empty(encoding.GetPreamble());
    }

    [Fact]
    public void Console_keeps_the_systems_own_choice() =>
        Assert.True(ConsoleEncoding.TryChooseForRedirected(OsKind.Windows, "Console", out Encoding? encoding) && encoding is null);

    [Fact]
    public void An_unknown_name_is_refused() => Assert.False(ConsoleEncoding.TryChooseForRedirected(OsKind.Linux, "klingon-8", out _));

    [Fact]
    public void A_Windows_console_is_spoken_to_in_UTF_16_and_a_Unix_terminal_in_its_locale()
    {
        Assert.Equal(1200, ConsoleEncoding.ForConsole(OsKind.Windows)!.CodePage);
        Assert.Empty(ConsoleEncoding.ForConsole(OsKind.Windows)!.GetPreamble());
        Assert.Null(ConsoleEncoding.ForConsole(OsKind.Linux));
    }

    [Fact]
    public async Task An_unknown_encoding_in_the_environment_is_one_line_on_stderr_and_exit_1()
    {
        await using PeerProcess marcel = MarcelCli.Start(["connect", "127.0.0.1", "9"], new Dictionary<string, string> { [ConsoleEncoding.Variable] = "klingon-8" });
        Assert.Equal(1, await marcel.WaitForExitAsync());
        Assert.Equal("Unknown encoding in MARCEL_CONSOLE_ENCODING: 'klingon-8' (use utf-8, utf-16, latin1, us-ascii, or console for the console's own).\n", marcel.Error);
    }

    [Fact]
    public async Task A_named_encoding_is_what_the_pipe_gets_while_the_wire_stays_UTF_8()
    {
        string nc = ExternalProgram.Require("nc");
        int port = Loopback.FreePort();
        await using PeerProcess linux = PeerProcess.Start(nc, ["-v", "-l", "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await linux.WaitForErrorAsync("Listening");
        await using PeerProcess client = MarcelCli.Start(["connect", "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture)], new Dictionary<string, string> { [ConsoleEncoding.Variable] = "utf-16" });
        await linux.WriteLineAsync("é€");
        await linux.WriteLineAsync("FIN");
        Assert.Equal(0, await client.WaitForExitAsync());
        // The test reads stdout as UTF-8: UTF-16's "S> é€" shows as its bytes, a NUL after each ASCII letter.
        Assert.Contains("S\0>\0 \0", client.Output, StringComparison.Ordinal);
        Assert.Contains(System.Text.Encoding.UTF8.GetString(System.Text.Encoding.Unicode.GetBytes("é€")), client.Output, StringComparison.Ordinal);
    }
}
