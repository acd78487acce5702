using System.Net;
using Microsoft.Extensions.Logging;

namespace Marcel.Core.Dialogue;

/// <summary>Log messages of the dialogue server, with fixed event ids (1-99). Message bodies only at Trace.</summary>
internal static partial class DialogueLog
{
    [LoggerMessage(1, LogLevel.Debug, "Connection {ConnectionId} accepted from {Remote}")]
    public static partial void ConnectionAccepted(ILogger logger, string connectionId, EndPoint? remote);

    [LoggerMessage(2, LogLevel.Information, "Conversation on connection {ConnectionId} ended: {Reason}")]
    public static partial void ConversationEnded(ILogger logger, string connectionId, ConversationEnd reason);

    [LoggerMessage(3, LogLevel.Warning, "{Remote} sent a line over {MaxLineBytes} bytes; connection closed")]
    public static partial void LineTooLong(ILogger logger, EndPoint? remote, int maxLineBytes);

    [LoggerMessage(4, LogLevel.Trace, "{Remote} said {Message}")]
    public static partial void MessageReceived(ILogger logger, EndPoint? remote, string message);
}
