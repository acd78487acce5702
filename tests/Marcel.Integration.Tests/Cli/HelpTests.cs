using Marcel.Tests.Support;

namespace Marcel.Tests.Cli;

/// <summary>
/// <c>marcel --help</c> and each command's help, as a user reads them: pinned word for word for the root, serve,
/// connect and fetch (approval files in Cli/Approved), and complete for every command: examples, and a description for each option.
/// </summary>
public class HelpTests
{
    private static readonly string[] DescriptionTitles = ["Description"];
    private static readonly string[] OptionTitles = ["Options"];
    private static readonly string[] CommandTitles = ["Commands", "Commandes"];
    private static readonly string[] ArgumentTitles = ["Arguments"];

    [Theory]
    [InlineData("serve", "en")]
    [InlineData("serve", "fr")]
    [InlineData("connect", "en")]
    [InlineData("connect", "fr")]
    [InlineData("fetch", "en")]
    [InlineData("fetch", "fr")]
    [InlineData("root", "en")]
    [InlineData("root", "fr")]
    public async Task Help_of_a_command_matches_its_approved_text(string command, string language)
    {
        // "root" is marcel --help itself: its examples once ended in "[host: localhost, port: 50000]".
        string received = HelpText.Normalise(await HelpAsync(language, command == "root" ? [] : [command]));

        string approvedPath = Path.Combine(AppContext.BaseDirectory, "Cli", "Approved", $"{command}.{language}.txt");
        string approved = File.Exists(approvedPath) ? HelpText.Normalise(await File.ReadAllTextAsync(approvedPath, TestContext.Current.CancellationToken)) : "";
        if (received != approved)
        {
            string receivedPath = Path.ChangeExtension(approvedPath, ".received.txt");
            await File.WriteAllTextAsync(receivedPath, received, TestContext.Current.CancellationToken);
            Assert.Fail($"The help of 'marcel {command}' ({language}) changed. If the change is wanted, run "
                + $"tests/Marcel.Integration.Tests/Cli/approve.sh (it copies\n  {receivedPath}\nover tests/Marcel.Integration.Tests/Cli/Approved/{command}.{language}.txt)."
                + $"\n--- received:\n{received}");
        }
    }

    [Theory]
    [InlineData("en", "Examples:")]
    [InlineData("fr", "Exemples :")]
    public async Task Root_help_has_examples_and_lists_every_command_with_a_description(string language, string examples)
    {
        var help = new HelpText(await HelpAsync(language));

        Assert.Contains(examples, help.Section(DescriptionTitles), StringComparison.Ordinal);
        var commands = help.Rows(CommandTitles);
        Assert.Contains(commands, row => row.Names == "serve");
        Assert.Contains(commands, row => row.Names.StartsWith("connect", StringComparison.Ordinal));
        Assert.All(commands, row => Assert.False(string.IsNullOrWhiteSpace(row.Description), $"'{row.Names}' has no description"));
        Assert.All(help.Rows(OptionTitles), row => Assert.False(string.IsNullOrWhiteSpace(row.Description), $"'{row.Names}' has no description"));
    }

    [Theory]
    [InlineData("en", "Examples:")]
    [InlineData("fr", "Exemples :")]
    public async Task Every_command_has_examples_and_describes_each_argument_and_option(string language, string examples)
    {
        var root = new HelpText(await HelpAsync(language));
        string[] commands = [.. root.Rows(CommandTitles).Select(row => row.Names.Split(' ')[0])];
        Assert.NotEmpty(commands);

        foreach (string command in commands)
        {
            var help = new HelpText(await HelpAsync(language, command));
            Assert.True(help.Section(DescriptionTitles).Contains(examples, StringComparison.Ordinal), $"'marcel {command} --help' ({language}) shows no examples");
            var rows = help.Rows(OptionTitles).Concat(help.Rows(ArgumentTitles)).ToList();
            Assert.Contains(rows, row => row.Names.Contains("--help", StringComparison.Ordinal));
            Assert.All(rows, row => Assert.False(string.IsNullOrWhiteSpace(row.Description), $"'marcel {command}': '{row.Names}' has no description ({language})"));
        }
    }

    [Fact]
    public async Task French_help_translates_the_help_option_too()
    {
        var help = new HelpText(await HelpAsync("fr", "serve"));

        Assert.Contains(help.Rows(OptionTitles), row => row.Names.Contains("--help", StringComparison.Ordinal) && row.Description.StartsWith("Afficher l'aide", StringComparison.Ordinal));
    }

    /// <summary>Runs <c>marcel --lang LANGUAGE [COMMAND] --help</c> and returns stdout.</summary>
    internal static async Task<string> HelpAsync(string language, params string[] command)
    {
        await using PeerProcess marcel = MarcelCli.Start(["--lang", language, .. command, "--help"]);
        int exitCode = await marcel.WaitForExitAsync();
        Assert.True(exitCode == 0, $"help exited with {exitCode}\n{marcel}");
        return marcel.Output;
    }
}
