using System.CommandLine;
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

    public static Option<LineEnding> LineEnding() => new("--eol")
    {
        Description = CliStrings.LineEndingDescription,
        DefaultValueFactory = _ => Core.Framing.LineEnding.Lf,
    };

    public static LineOptions Lines(ParseResult parse, Option<int> maxLine, Option<int> flushDelay, Option<LineEnding> ending) => new()
    {
        MaxLineBytes = Math.Min(parse.GetValue(maxLine), LineOptions.MaxLineBytesCap),
        FlushDelay = TimeSpan.FromMilliseconds(parse.GetValue(flushDelay)),
        Ending = parse.GetValue(ending),
    };

    public static T Port<T>(T option, int minimum)
        where T : Option<int>
    {
        option.Validators.Add(result =>
        {
            int port = result.GetValueOrDefault<int>();
            if (port < minimum || port > 65535)
            {
                result.AddError(string.Format(System.Globalization.CultureInfo.CurrentCulture, CliStrings.InvalidPort, minimum));
            }
        });
        return option;
    }

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
