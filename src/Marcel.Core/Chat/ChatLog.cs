using System.Net;
using Microsoft.Extensions.Logging;

namespace Marcel.Core.Chat;

/// <summary>The chat room's log messages, with fixed event ids (100–199). Message bodies only at Trace.</summary>
internal static partial class ChatLog
{
    [LoggerMessage(100, LogLevel.Debug, "{Name} joined from {Remote}")]
    public static partial void Joined(ILogger logger, string name, string? remote);

    [LoggerMessage(101, LogLevel.Debug, "{Name} left: {Reason}")]
    public static partial void Left(ILogger logger, string name, ChatCloseReason reason);

    [LoggerMessage(102, LogLevel.Information, "Refused {Remote}: address not allowed")]
    public static partial void Denied(ILogger logger, EndPoint? remote);

    [LoggerMessage(103, LogLevel.Information, "Refused {Remote}: the room is full ({MaxClients})")]
    public static partial void RoomFull(ILogger logger, string? remote, int maxClients);

    [LoggerMessage(104, LogLevel.Warning, "{Name} did not read fast enough (over {MaxQueueBytes} bytes queued); disconnected")]
    public static partial void Overflow(ILogger logger, string name, int maxQueueBytes);

    [LoggerMessage(105, LogLevel.Trace, "{Name} said {Message}")]
    public static partial void Said(ILogger logger, string name, string message);

    [LoggerMessage(106, LogLevel.Debug, "Connection from {Remote} ended unexpectedly")]
    public static partial void ConnectionFailed(ILogger logger, EndPoint? remote, Exception error);

    [LoggerMessage(107, LogLevel.Warning, "{Remote} sent a line over {MaxLineBytes} bytes; connection closed")]
    public static partial void LineTooLong(ILogger logger, System.Net.EndPoint? remote, int maxLineBytes);

    [LoggerMessage(108, LogLevel.Information, "Refused {Remote}: too many joins from its address (at most {MaxPerAddress} datagram members)")]
    public static partial void TooManyJoins(ILogger logger, EndPoint remote, int maxPerAddress);
}
