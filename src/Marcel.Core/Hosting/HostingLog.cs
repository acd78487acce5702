using Microsoft.Extensions.Logging;

namespace Marcel.Core.Hosting;

/// <summary>Log messages of the connection limits, with fixed event ids (620-629).</summary>
internal static partial class HostingLog
{
    [LoggerMessage(620, LogLevel.Warning, "Connection limit of {MaxConnections} reached: newcomers are told the server is busy and closed until some leave")]
    public static partial void ConnectionLimitReached(ILogger logger, int maxConnections);

    [LoggerMessage(621, LogLevel.Information, "Below the connection limit of {MaxConnections} again: accepting newcomers")]
    public static partial void ConnectionLimitCleared(ILogger logger, int maxConnections);

    [LoggerMessage(622, LogLevel.Debug, "Accepting at most {MaxConnections} connections at once ({Available} fit in the file-descriptor limit)")]
    public static partial void ConnectionLimit(ILogger logger, int maxConnections, int available);

    [LoggerMessage(623, LogLevel.Debug, "Accept failed ({Error}); accepting the next connection")]
    public static partial void AcceptFailed(ILogger logger, System.Net.Sockets.SocketError error);

    [LoggerMessage(624, LogLevel.Debug, "Connection ended by a transport error")]
    public static partial void ConnectionFailed(ILogger logger, Exception error);

    [LoggerMessage(625, LogLevel.Error, "Connection handler failed; the connection is closed, the server goes on")]
    public static partial void HandlerFailed(ILogger logger, Exception error);

    [LoggerMessage(626, LogLevel.Information, "Shutdown: aborting {Count} connections still open after the grace period")]
    public static partial void AbortingAtShutdown(ILogger logger, int count);
}
