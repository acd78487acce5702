using System.Globalization;
using Marcel.Cli.Resources;
using Microsoft.Extensions.Logging;

namespace Marcel.Cli.Terminal;

/// <summary>
/// Log lines through the <see cref="ConsoleTerminal"/>, on stderr: printed above the operator's prompt and half-typed
/// reply, never after it as if the operator had typed them (the console logger writes from its own thread, unaware
/// of the prompt).
/// </summary>
internal sealed class TerminalLoggerProvider(ConsoleTerminal terminal, bool verbose) : ILoggerProvider
{
    // Events the console already tells in the operator's language (a line or message over --max-line in the dialogue,
    // the TCP room and the browser room: the client's leave notice gives the reason; the room's slow reader): the
    // log line would only say it twice. Shown with --verbose.
    internal static readonly int[] ToldByTheConsole = [3, 104, 107, 743];

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

            // Event ids are ours only in our categories: the framework numbers its own from 1 too.
            bool ours = category.StartsWith("Marcel.", StringComparison.Ordinal);
            if (!(ours && ToldByTheConsole.Contains(eventId.Id)))
            {
                // Without --verbose the operator reads a sentence, in their language where we have it, not a log record.
                terminal.WriteError(SafeText.ForTerminal((ours ? Translated(eventId, state) : null) ?? formatter(state, exception)));
            }
        }

        /// <summary>
        /// The event's sentence in the user's language (LogSentences, keyed by event id, its placeholders in the
        /// template's order), or null for an event it lacks (the framework's own, which stay in English).
        /// </summary>
        private static string? Translated<TState>(EventId eventId, TState state)
        {
            if (LogSentences.ResourceManager.GetString("Event" + eventId.Id.ToString(CultureInfo.InvariantCulture), CultureInfo.CurrentUICulture) is not { } sentence)
            {
                return null;
            }

            object?[] values = state is IReadOnlyList<KeyValuePair<string, object?>> pairs
                ? [.. pairs.Where(pair => pair.Key != "{OriginalFormat}").Select(pair => pair.Value)]
                : [];
            return string.Format(CultureInfo.CurrentCulture, sentence, values);
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
