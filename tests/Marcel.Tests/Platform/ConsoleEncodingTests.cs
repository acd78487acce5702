using System.Text;
using Marcel.Cli.Platform;
using Marcel.Core;

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
}
