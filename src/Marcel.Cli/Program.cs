using System.CommandLine;
using System.Globalization;
using Marcel.Cli;
using Marcel.Cli.Commands;
using Marcel.Cli.Resources;

if (Language.Apply(args) is { } unknownLanguage)
{
    Console.Error.WriteLine(string.Format(CultureInfo.CurrentCulture, CliStrings.UnknownLanguage, unknownLanguage));
    return ExitCodes.Usage;
}

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

// Each command handles SIGINT/SIGTERM itself (TerminationSignal), to shut down gracefully with its own exit code.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
