using Marcel.Cli.Resources;

namespace Marcel.Cli.CommandLine;

/// <summary>
/// The last touch on System.CommandLine's help text: its "[default: …]" label has no French translation, so it is
/// replaced by ours.
/// </summary>
internal static class HelpOutput
{
    private const string DefaultLabel = "[default: ";

    /// <summary>Returns <paramref name="help"/> in the user's language.</summary>
    public static string Translate(string help) =>
        CliStrings.DefaultLabel == DefaultLabel ? help : help.Replace(DefaultLabel, CliStrings.DefaultLabel, StringComparison.Ordinal);
}
