using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Marcel.Cli.Resources;

namespace Marcel.Cli.CommandLine;

/// <summary>
/// What a mistyped command line gets: the error, the command's one-line usage and where to read more, on stderr, as
/// git and curl do, instead of System.CommandLine's whole help with the error at the bottom.
/// </summary>
internal static class UsageErrors
{
    /// <summary>Writes the report for <paramref name="parse"/>'s errors to <paramref name="error"/>; returns the exit code.</summary>
    public static int Report(ParseResult parse, TextWriter error)
    {
        Command command = parse.CommandResult.Command;
        Command root = parse.RootCommandResult.Command;
        foreach (string message in Messages(parse, command))
        {
            error.WriteLine("marcel: " + message);
        }

        if (UsageLine(root, command) is { } usage)
        {
            error.WriteLine(string.Format(CultureInfo.CurrentCulture, CliStrings.UsageLine, usage));
        }

        error.WriteLine(string.Format(CultureInfo.CurrentCulture, CliStrings.HelpForMore, CommandPath(command)));
        return ExitCodes.Usage;
    }

    private static IEnumerable<string> Messages(ParseResult parse, Command command)
    {
        // An unknown option first: "fetch -O URL" is about -O (taken as the URL), not about the URL left over.
        string? option = command.Arguments.SelectMany(a => parse.GetResult(a)?.Tokens ?? []).Select(t => t.Value).FirstOrDefault(ValueParsers.LooksLikeOption)
            ?? parse.UnmatchedTokens.FirstOrDefault(ValueParsers.LooksLikeOption);
        string? token = option ?? (parse.UnmatchedTokens.Count > 0 ? parse.UnmatchedTokens[0] : null);
        if (token is not null)
        {
            // System.CommandLine adds "Required command was not provided" and its own wording: the token says it all.
            yield return Unmatched(token, command);
            yield break;
        }

        foreach (string message in parse.Errors.Select(e => e.Message).Distinct(StringComparer.Ordinal))
        {
            yield return message;
        }
    }

    private static string Unmatched(string token, Command command)
    {
        bool option = ValueParsers.LooksLikeOption(token);
        IEnumerable<string> candidates = option
            ? command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith("--", StringComparison.Ordinal))
            : command.Subcommands.Select(c => c.Name);
        string format = option ? CliStrings.UnknownOption : command.Subcommands.Count > 0 ? CliStrings.UnknownCommand : CliStrings.UnexpectedArgument;
        string message = string.Format(CultureInfo.CurrentCulture, format, token);
        return Suggest(token, candidates) is { } guess ? string.Format(CultureInfo.CurrentCulture, CliStrings.DidYouMean, message, guess) : message;
    }

    /// <summary>The closest candidate within two edits (or that starts with the token), as git's "did you mean".</summary>
    public static string? Suggest(string token, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in candidates)
        {
            int distance = candidate.StartsWith(token, StringComparison.OrdinalIgnoreCase) && token.Length >= 3 ? 1 : Distance(token, candidate);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return bestDistance <= Math.Min(2, Math.Max(1, token.Length / 3)) ? best : null;
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours.</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    /// <summary>The usage line of the command's help (<c>marcel connect [&lt;host&gt; [&lt;port&gt;]] [options]</c>).</summary>
    private static string? UsageLine(Command root, Command command)
    {
        using var help = new StringWriter(CultureInfo.CurrentCulture);
        string path = CommandPath(command);
        root.Parse([.. path.Split(' ').Skip(1), "--help"]).Invoke(new InvocationConfiguration { Output = help });
        string prefix = "  " + path;
        return help.ToString().Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))?.Trim();
    }

    private static string CommandPath(Command command)
    {
        var names = new List<string>();
        for (Command? c = command; c is not null; c = c.Parents.OfType<Command>().FirstOrDefault())
        {
            names.Insert(0, c is RootCommand ? "marcel" : c.Name);
        }

        return string.Join(' ', names);
    }
}
