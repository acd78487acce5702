using System.CommandLine;
using System.CommandLine.Invocation;
using System.Globalization;
using Marcel.Cli;
using Marcel.Cli.CommandLine;
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

RootCommand root = MarcelCommand.Create();
ParseResult parse = MarcelCommand.Parse(root, args);
if (parse.Action is ParseErrorAction)
{
    return UsageErrors.Report(parse, Console.Error);
}

// Help and --version write here, so that the help can be finished (HelpOutput) before it is shown.
using var help = new StringWriter(CultureInfo.CurrentCulture);

// Each command handles SIGINT/SIGTERM itself (TerminationSignal), to shut down gracefully with its own exit code.
bool verbose = parse.GetValue(CommonOptions.Verbose);
UnexpectedFailure.CatchOnEveryThread(verbose);
int exitCode;
try
{
    exitCode = await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, Output = help, EnableDefaultExceptionHandler = false });
}
catch (Exception e)
{
    return UnexpectedFailure.Report(e, verbose, Console.Error);
}

Console.Out.Write(HelpOutput.Translate(help.ToString()));
return exitCode;
