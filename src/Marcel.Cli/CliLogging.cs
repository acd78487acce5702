using Marcel.Cli.Terminal;
using Microsoft.Extensions.Logging;

namespace Marcel.Cli;

/// <summary>
/// Logs go to stderr through the terminal, so stdout stays the conversation and the prompt stays whole. By default
/// warnings and errors, as sentences (translated where we have them), leaving out what the console's own notices
/// already say; the full log records, details included, come with --verbose.
/// </summary>
internal static class CliLogging
{
    public static ILoggerFactory Create(bool verbose, ConsoleTerminal terminal) => LoggerFactory.Create(logging =>
    {
        logging.SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Warning);
        logging.AddFilter("Microsoft", verbose ? LogLevel.Information : LogLevel.Warning);
        // The host logs a failed start at Error; the command already says why in one line.
        // The Redis client logs every failed reconnection attempt at Error; the room says "split" once instead.
        logging.AddFilter("StackExchange.Redis", verbose ? LogLevel.Information : LogLevel.None);
        logging.AddFilter("Microsoft.Extensions.Hosting", verbose ? LogLevel.Information : LogLevel.None);
        logging.AddProvider(new TerminalLoggerProvider(terminal, verbose));
    });
}
