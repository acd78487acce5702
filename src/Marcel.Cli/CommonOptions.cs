using System.CommandLine;
using Marcel.Cli.CommandLine;
using Marcel.Cli.Resources;
using Marcel.Core.Framing;

namespace Marcel.Cli;

/// <summary>Options shared by several commands, declared once.</summary>
internal static class CommonOptions
{
    public const int DefaultPort = 50000;

    public static readonly Option<string> Lang = new("--lang")
    {
        Description = CliStrings.LangDescription,
        Recursive = true,
        HelpName = "en|fr",
    };

    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = CliStrings.VerboseDescription,
        Recursive = true,
    };

    public static Option<int> MaxLine() => Positive(new Option<int>("--max-line")
    {
        Description = CliStrings.MaxLineDescription,
        DefaultValueFactory = _ => new LineOptions().MaxLineBytes,
        HelpName = "bytes",
    });

    public static Option<int> FlushDelay() => Positive(new Option<int>("--flush-delay")
    {
        Description = CliStrings.FlushDelayDescription,
        DefaultValueFactory = _ => (int)new LineOptions().FlushDelay.TotalMilliseconds,
        HelpName = "ms",
    });

    // No DefaultValueFactory: help would show the enum's name, "Lf"; the default (Lf, the enum's zero) is in the text.
    public static Option<LineEnding> LineEnding()
    {
        var option = new Option<LineEnding>("--eol")
        {
            Description = CliStrings.LineEndingDescription,
            HelpName = "lf|crlf|none",
        };
        option.CompletionSources.Clear();
        option.CompletionSources.Add(_ => EndingNames.Select(name => new System.CommandLine.Completions.CompletionItem(name)));
        return option;
    }

    private static readonly string[] EndingNames = ["lf", "crlf", "none"];

    public static LineOptions Lines(ParseResult parse, Option<int> maxLine, Option<int> flushDelay, Option<LineEnding> ending) => new()
    {
        MaxLineBytes = Math.Min(parse.GetValue(maxLine), LineOptions.MaxLineBytesCap),
        FlushDelay = TimeSpan.FromMilliseconds(parse.GetValue(flushDelay)),
        Ending = parse.GetValue(ending),
    };

    /// <summary>A port option: a number from <paramref name="minimum"/> to 65535, or a service name as nc takes it.</summary>
    public static T Port<T>(T option, int minimum)
        where T : Option<int>
    {
        option.CustomParser = ValueParsers.Parser(option.Name, option.DefaultValueFactory, PortAccepts(minimum), text => ParsePort(text, minimum));
        return option;
    }

    /// <summary>A port number in range, or the TCP port of a service name (<c>http</c> is 80); null otherwise.</summary>
    public static int? ParsePort(string text, int minimum) =>
        ValueParsers.ParseInt(text) is int number ? (number >= minimum && number <= 65535 ? number : null) : ServiceNames.TcpPort(text);

    /// <summary>What a port option accepts, for its error message.</summary>
    public static string PortAccepts(int minimum) => string.Format(System.Globalization.CultureInfo.CurrentCulture, CliStrings.AcceptsPort, minimum);

    private static Option<int> Positive(Option<int> option)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 0)
            {
                result.AddError(string.Format(System.Globalization.CultureInfo.CurrentCulture, CliStrings.InvalidPositive, option.Name));
            }
        });
        return option;
    }
}
