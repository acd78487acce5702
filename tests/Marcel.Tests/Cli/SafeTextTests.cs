using Marcel.Cli.Terminal;

namespace Marcel.Tests.Cli;

public class SafeTextTests
{
    [Fact]
    public void Plain_text_and_accents_pass_unchanged() =>
        Assert.Equal("Vous êtes connecté\tok", SafeText.ForTerminal("Vous êtes connecté\tok"));

    [Fact]
    public void Escape_bell_carriage_return_and_C1_controls_become_visible_symbols() =>
        Assert.Equal("\u241b[2J\u2407\u240dx\\u009b", SafeText.ForTerminal("\u001b[2J\u0007\rx\u009b"));
}
