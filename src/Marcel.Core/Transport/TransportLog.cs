using Microsoft.Extensions.Logging;

namespace Marcel.Core.Transport;

/// <summary>Log messages about hostile or broken peers, with fixed event ids (600-699). Never a message body.</summary>
internal static partial class TransportLog
{
    [LoggerMessage(600, LogLevel.Debug, "Connection {ConnectionId} was reset by the peer")]
    public static partial void ConnectionReset(ILogger logger, string connectionId);

    [LoggerMessage(601, LogLevel.Error, "Conversation on connection {ConnectionId} failed; the connection was dropped and the server goes on")]
    public static partial void ConversationFailed(ILogger logger, string connectionId, Exception error);
}
