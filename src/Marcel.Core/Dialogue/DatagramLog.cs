using System.Net;
using Microsoft.Extensions.Logging;

namespace Marcel.Core.Dialogue;

/// <summary>Log messages of the datagram servers, with fixed event ids (710–719). Never a message body.</summary>
internal static partial class DatagramLog
{
    [LoggerMessage(710, LogLevel.Debug, "Datagram conversation with {Remote} starts")]
    public static partial void PeerStarted(ILogger logger, IPEndPoint remote);

    [LoggerMessage(711, LogLevel.Warning, "{Remote} sent a datagram over {MaxBytes} bytes; refused")]
    public static partial void DatagramTooLong(ILogger logger, IPEndPoint remote, int maxBytes);

    [LoggerMessage(712, LogLevel.Debug, "Datagram from {Remote} ignored: no answer is possible to that address, or it was sent to a group")]
    public static partial void Unanswerable(ILogger logger, IPEndPoint remote);

    [LoggerMessage(713, LogLevel.Debug, "Datagram from {Remote} turned away (busy); answered: {Answered}")]
    public static partial void TurnedAway(ILogger logger, IPEndPoint remote, bool answered);

    [LoggerMessage(715, LogLevel.Error, "The datagram receive loop on {Local} failed; that socket no longer receives")]
    public static partial void ReceiveFailed(ILogger logger, IPEndPoint local, Exception error);
}
