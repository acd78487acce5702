namespace Marcel.Tests.Cli;

/// <summary>
/// Reads System.CommandLine's help output: sections by title ("Options:" in English, "Options :" in French),
/// and the rows of a section as (names, description) pairs.
/// </summary>
internal sealed class HelpText
{
    private readonly Dictionary<string, List<string>> _sections = new(StringComparer.Ordinal);

    public HelpText(string text)
    {
        List<string>? current = null;
        foreach (string line in Normalise(text).Split('\n'))
        {
            if (line.Length > 0 && line[0] != ' ')
            {
                current = [];
                // French titles end in a no-break space and a colon ("Options\u00A0:").
                _sections[line.TrimEnd().TrimEnd(':').TrimEnd()] = current;
            }
            else
            {
                current?.Add(line);
            }
        }
    }

    /// <summary>Line endings as \n and no trailing spaces, so an editor that trims them cannot break an approval.</summary>
    public static string Normalise(string text) =>
        string.Join('\n', text.ReplaceLineEndings("\n").Split('\n').Select(line => line.TrimEnd())).TrimEnd() + "\n";

    /// <summary>The section's text, or empty when the help has no such section.</summary>
    public string Section(params string[] titles) =>
        string.Join('\n', titles.Where(_sections.ContainsKey).SelectMany(title => _sections[title]));

    /// <summary>The rows of a two-column section: the first column (e.g. <c>-p, --port &lt;port&gt;</c>) and the second.</summary>
    public IReadOnlyList<(string Names, string Description)> Rows(params string[] titles)
    {
        var rows = new List<(string, string)>();
        foreach (string line in Section(titles).Split('\n'))
        {
            // A row starts two spaces in; continuation lines of a long description start further in.
            if (line.Length < 3 || line[2] == ' ')
            {
                continue;
            }

            string cells = line[2..];
            int gap = cells.IndexOf("  ", StringComparison.Ordinal);
            rows.Add(gap < 0 ? (cells, "") : (cells[..gap], cells[gap..].Trim()));
        }

        return rows;
    }
}
