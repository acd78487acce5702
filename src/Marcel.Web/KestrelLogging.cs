using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Marcel.Web;

/// <summary>
/// The logger factory Kestrel and the web host get: the app's, minus what every request would pay for nothing. ASP.NET
/// Core's hosting diagnostics start an <see cref="System.Diagnostics.Activity"/> and a request log scope for each request
/// whenever their category is enabled at any level, and Kestrel opens a connection scope likewise (when the WebSocket's
/// request stayed in Kestrel, each idle browser member kept them for its life; it no longer does, but a page load still
/// would pay for them). Here hosting diagnostics log nothing (request start and finish, at Information and Debug) and no
/// Kestrel logger opens a scope; Kestrel's warnings and errors still reach the app.
/// </summary>
internal sealed class KestrelLogging(ILoggerFactory app) : ILoggerFactory
{
    /// <summary>The category whose mere enabling makes hosting create an Activity and a scope per request.</summary>
    internal const string HostingDiagnostics = "Microsoft.AspNetCore.Hosting.Diagnostics";

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => categoryName == HostingDiagnostics
        ? NullLogger.Instance
        : new Unscoped(app.CreateLogger(categoryName));

    /// <inheritdoc />
    public void AddProvider(ILoggerProvider provider) => app.AddProvider(provider);

    /// <summary>The app owns its factory: disposing this one leaves it alone.</summary>
    public void Dispose()
    {
    }

    /// <summary>A logger that says what the app's says, but opens no scope.</summary>
    private sealed class Unscoped(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            inner.Log(logLevel, eventId, state, exception, formatter);
    }
}
