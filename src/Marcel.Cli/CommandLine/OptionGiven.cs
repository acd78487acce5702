using System.CommandLine;
using System.CommandLine.Parsing;

namespace Marcel.Cli.CommandLine;

/// <summary>Whether the user typed an option, as the checks that refuse an option the chosen mode would ignore need it.</summary>
internal static class OptionGiven
{
    /// <summary>True when <paramref name="option"/> is on the command line, not merely at its default value.</summary>
    public static bool IsGiven(this CommandResult result, Option option) => result.GetResult(option) is { Implicit: false };
}
