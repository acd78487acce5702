using Microsoft.Extensions.Logging;

namespace Marcel.Cli.Terminal;

/// <summary>
/// Log lines through the <see cref="ConsoleTerminal"/>, on stderr: printed above the operator's prompt and half-typed
/// reply, never after it as if the operator had typed them (the console logger writes from its own thread, unaware
/// of the prompt).
/// </summary>
internal sealed class TerminalLoggerProvider(ConsoleTerminal terminal, bool verbose) : ILoggerProvider
{
    // Events the console already tells in the operator's language (DialogueServer's line too long, ChatServer's
    // slow reader): the English log line would only say it twice. Shown with --verbose.
    private static readonly int[] ToldByTheConsole = [3, 104];

    public ILogger CreateLogger(string categoryName) => new TerminalLogger(terminal, categoryName, verbose);

    public void Dispose()
    {
    }

    private sealed class TerminalLogger(ConsoleTerminal terminal, string category, bool verbose) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (verbose)
            {
                string line = $"{Label(logLevel)}: {category}[{eventId.Id}] {SafeText.ForTerminal(formatter(state, exception))}";
                terminal.WriteError(exception is null ? line : line + Environment.NewLine + exception);
                return;
            }

            if (!ToldByTheConsole.Contains(eventId.Id))
            {
                // Without --verbose the operator reads a sentence, in their language where we have it, not a log record.
                terminal.WriteError(SafeText.ForTerminal(Translated(eventId, state) ?? formatter(state, exception)));
            }
        }

        private static string? Translated<TState>(EventId eventId, TState state)
        {
            object? Value(string name) => state is IReadOnlyList<KeyValuePair<string, object?>> values
                ? values.FirstOrDefault(pair => pair.Key == name).Value
                : null;
            return eventId.Id switch
            {
                620 => string.Format(System.Globalization.CultureInfo.CurrentCulture, Resources.CliStrings.LogConnectionLimit, Value("MaxConnections")),
                _ => null,
            };
        }

        private static string Label(LogLevel level) => level switch
        {
            LogLevel.Trace => "trce",
            LogLevel.Debug => "dbug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "fail",
            _ => "crit",
        };
    }
}
