using System.Net;
using Microsoft.Extensions.Logging;

namespace Marcel.Core.Discovery;

/// <summary>Log messages of service discovery, with fixed event ids (700-709; datagrams have 710-719).</summary>
internal static partial class DiscoveryLog
{
    [LoggerMessage(700, LogLevel.Debug, "Ignored a malformed mDNS packet of {Bytes} bytes from {From}")]
    public static partial void Malformed(ILogger logger, int bytes, IPEndPoint from);

    [LoggerMessage(701, LogLevel.Information, "Another responder holds the name '{Name}' ({From}); trying '{Next}'")]
    public static partial void Conflict(ILogger logger, string name, IPEndPoint from, string next);

    [LoggerMessage(702, LogLevel.Debug, "Lost a simultaneous probe for '{Name}' to {From}; probing again in one second")]
    public static partial void LostTieBreak(ILogger logger, string name, IPEndPoint from);

    [LoggerMessage(703, LogLevel.Information, "Announced '{Name}' on {Interfaces}")]
    public static partial void Announced(ILogger logger, string name, string interfaces);

    [LoggerMessage(704, LogLevel.Information, "Withdrew '{Name}' (goodbye sent)")]
    public static partial void Withdrawn(ILogger logger, string name);

    [LoggerMessage(705, LogLevel.Error, "mDNS receive loop failed; discovery stops, the server goes on")]
    public static partial void ReceiveFailed(ILogger logger, Exception error);

    [LoggerMessage(706, LogLevel.Error, "An mDNS packet of {Bytes} bytes from {From} could not be handled; it is dropped and discovery goes on")]
    public static partial void PacketFailed(ILogger logger, int bytes, IPEndPoint from, Exception error);

    [LoggerMessage(707, LogLevel.Debug, "Ignored an mDNS response from {From}: not from port 5353 (RFC 6762 §6)")]
    public static partial void WrongPort(ILogger logger, IPEndPoint from);

    [LoggerMessage(708, LogLevel.Warning, "{Conflicts} name conflicts within ten seconds: waiting five seconds before probing '{Name}' (RFC 6762 §8.1)")]
    public static partial void ProbesRateLimited(ILogger logger, int conflicts, string name);
}
