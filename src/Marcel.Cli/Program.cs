using System.CommandLine;
using System.Globalization;
using Marcel.Cli;
using Marcel.Cli.Commands;
using Marcel.Cli.Platform;
using Marcel.Cli.Resources;

// Pipes in UTF-8 and a Unicode console whatever the OS, before anything is read or written.
string? unknownEncoding = ConsoleEncoding.Apply();
if (Language.Apply(args) is { } unknownLanguage)
{
    Console.Error.WriteLine(string.Format(CultureInfo.CurrentCulture, CliStrings.UnknownLanguage, unknownLanguage));
    return ExitCodes.Usage;
}

if (unknownEncoding is not null)
{
    Console.Error.WriteLine(string.Format(CultureInfo.CurrentCulture, CliStrings.UnknownConsoleEncoding, ConsoleEncoding.Variable, unknownEncoding));
    return ExitCodes.Usage;
}

var root = new RootCommand(CliStrings.RootDescription)
{
    CommonOptions.Lang,
    CommonOptions.Verbose,
    ServeCommand.Create(),
    ConnectCommand.Create(),
    FetchCommand.Create(),
};
BuiltInOptions.Customise(root);

// Each command handles SIGINT/SIGTERM itself (TerminationSignal), to shut down gracefully with its own exit code.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
