using System.Globalization;
using System.Text.RegularExpressions;
using Marcel.Cli.Resources;
using Marcel.Cli.Terminal;

namespace Marcel.Tests.Cli;

/// <summary>
/// What the server's console shows of the logs by default (warnings and errors) is a sentence in the user's language:
/// every such event of ours has one in LogSentences, English and French, unless a console notice already tells it.
/// </summary>
public partial class LogSentencesTests
{
    public static TheoryData<int, string> ConsoleEvents()
    {
        var rows = new TheoryData<int, string>();
        string src = Path.Combine(RepositoryRoot(), "src");
        foreach (string file in Directory.EnumerateFiles(src, "*Log.cs", SearchOption.AllDirectories))
        {
            foreach (Match match in WarningOrError().Matches(File.ReadAllText(file)))
            {
                rows.Add(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), match.Groups[2].Value);
            }
        }

        return rows;
    }

    [Fact]
    public void The_sources_are_found()
    {
        Assert.Contains(ConsoleEvents(), row => row.Data.Item1 == 620);
    }

    [Theory]
    [MemberData(nameof(ConsoleEvents))]
    public void A_warning_or_error_has_a_sentence_in_english_and_french_with_the_same_placeholders(int id, string template)
    {
        if (TerminalLoggerProvider.ToldByTheConsole.Contains(id))
        {
            return; // Told by a console notice in the user's language, never shown as a log line by default.
        }

        string? english = LogSentences.ResourceManager.GetString($"Event{id}", CultureInfo.InvariantCulture);
        string? french = LogSentences.ResourceManager.GetString($"Event{id}", CultureInfo.GetCultureInfo("fr"));
        Assert.False(english is null, $"event {id} ('{template}') has no sentence in LogSentences.resx");
        Assert.NotEqual(english, french);
        int placeholders = Placeholder().Count(template);
        Assert.Equal(placeholders, Placeholder().Count(english));
        Assert.Equal(placeholders, Placeholder().Count(french!));
    }

    private static string RepositoryRoot()
    {
        for (string? folder = AppContext.BaseDirectory; folder is not null; folder = Path.GetDirectoryName(folder))
        {
            if (File.Exists(Path.Combine(folder, "Marcel.slnx"))) return folder;
        }

        throw new InvalidOperationException("Marcel.slnx not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("""LoggerMessage\((\d+), LogLevel\.(?:Warning|Error|Critical), "([^"]*)"\)""")]
    private static partial Regex WarningOrError();

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Placeholder();
}
