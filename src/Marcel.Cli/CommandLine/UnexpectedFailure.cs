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
}
