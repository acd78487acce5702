using System.CommandLine;
using System.CommandLine.Help;
using Marcel.Cli.Resources;

namespace Marcel.Cli;

/// <summary>Adjusts the options System.CommandLine adds to every root command: <c>--version</c> and <c>--help</c>.</summary>
internal static class BuiltInOptions
{
    /// <summary>Gives <c>--version</c> our own output (on every command) and <c>--help</c> a translated description.</summary>
    public static void Customise(RootCommand root)
    {
        foreach (Option option in root.Options)
        {
            switch (option)
            {
                case VersionOption version:
                    version.Action = new VersionAction();
                    // System.CommandLine knows --version on the root only: "marcel serve --version" got the whole help.
                    foreach (Command command in root.Subcommands)
                    {
                        command.Options.Add(new Option<bool>("--version") { Description = version.Description, Hidden = true, Action = new VersionAction() });
                    }

                    break;
                case HelpOption help:
                    // System.CommandLine 3.0.0's French resources leave this one in English.
                    help.Description = CliStrings.HelpDescription;
                    break;
            }
        }
    }
}
