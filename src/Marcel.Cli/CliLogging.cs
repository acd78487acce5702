using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Marcel.Cli;

/// <summary>Logs go to stderr, so stdout stays the conversation; warnings by default, details with --verbose.</summary>
internal static class CliLogging
{
    public static ILoggerFactory Create(bool verbose) => LoggerFactory.Create(logging =>
    {
        logging.SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Warning);
        logging.AddFilter("Microsoft", verbose ? LogLevel.Information : LogLevel.Warning);
        // The host logs a failed start at Error; the command already says why in one line.
        // The Redis client logs every failed reconnection attempt at Error; the room says "split" once instead.
        logging.AddFilter("StackExchange.Redis", verbose ? LogLevel.Information : LogLevel.None);
        logging.AddFilter("Microsoft.Extensions.Hosting", verbose ? LogLevel.Information : LogLevel.None);
        logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        logging.AddSimpleConsole(console => console.SingleLine = true);
    });
}
