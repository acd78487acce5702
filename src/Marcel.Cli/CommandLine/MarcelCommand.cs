using System.CommandLine;
using Marcel.Cli.Commands;
using Marcel.Cli.Resources;

namespace Marcel.Cli.CommandLine;

/// <summary>The whole <c>marcel</c> command tree, ready to parse: one place, so that tests can walk what users type.</summary>
internal static class MarcelCommand
{
    /// <summary>The root command with every subcommand, our <c>--help</c>/<c>--version</c> and a value parser on every typed option.</summary>
    public static RootCommand Create()
    {
        var root = new RootCommand(CliStrings.RootDescription)
        {
            CommonOptions.Lang,
            CommonOptions.Verbose,
            ServeCommand.Create(),
            ConnectCommand.Create(),
            FetchCommand.Create(),
            BrowseCommand.Create(),
        };
        BuiltInOptions.Customise(root);
        ValueParsers.Install(root);
        return root;
    }

    /// <summary>Parses <paramref name="args"/> as the program does.</summary>
    public static ParseResult Parse(RootCommand root, IReadOnlyList<string> args) =>
        // No response files: "@file" is curl's (fetch -d @file), not a file of arguments for System.CommandLine.
        root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
}
