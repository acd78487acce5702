using System.Globalization;
using Marcel.Cli.Resources;

namespace Marcel.Cli.CommandLine;

/// <summary>
/// The last net under every command: an exception no command expected still ends in one line on stderr, not in
/// System.CommandLine's stack trace; the trace comes with <c>--verbose</c>.
/// </summary>
internal static class UnexpectedFailure
{
    /// <summary>Writes the line (and with <paramref name="verbose"/> the whole exception) to <paramref name="error"/>; returns the exit code.</summary>
    public static int Report(Exception e, bool verbose, TextWriter error)
    {
        error.WriteLine(string.Format(CultureInfo.CurrentCulture, CliStrings.UnexpectedFailure, e.GetType().Name, e.Message));
        if (verbose)
        {
            error.WriteLine(e);
        }

        return ExitCodes.Internal;
    }

    /// <summary>
    /// The same line for an exception on a thread of its own (the console's key reader, a timer), which no try around
    /// the command sees; the process then ends with <see cref="ExitCodes.Internal"/> before the runtime prints its trace.
    /// </summary>
    public static void CatchOnEveryThread(bool verbose)
    {
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            if (e.ExceptionObject is Exception exception)
            {
                Environment.Exit(Report(exception, verbose, Console.Error));
            }
        };
    }
}
