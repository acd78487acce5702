using System.Net;
using Microsoft.Extensions.Logging;

namespace Marcel.Web;

/// <summary>The browser room's log messages, with fixed event ids (740-749; unique across the program, as the console picks its sentences by id). Message bodies only at Trace.</summary>
internal static partial class WebLog
{
    [LoggerMessage(740, LogLevel.Information, "Refused a WebSocket from {Remote}: origin {Origin} is not allowed")]
    public static partial void OriginRefused(ILogger logger, IPAddress? remote, string origin);

    [LoggerMessage(741, LogLevel.Information, "Refused a request from {Remote}: host {Host} is none of ours")]
    public static partial void HostRefused(ILogger logger, IPAddress? remote, string host);

    [LoggerMessage(743, LogLevel.Warning, "{Remote} sent a message over {MaxLineBytes} bytes; connection closed")]
    public static partial void MessageTooBig(ILogger logger, EndPoint? remote, int maxLineBytes);

    [LoggerMessage(744, LogLevel.Debug, "WebSocket from {Remote} failed")]
    public static partial void SocketFailed(ILogger logger, EndPoint? remote, Exception error);
}
