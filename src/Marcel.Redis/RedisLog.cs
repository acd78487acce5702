using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Marcel.Redis;

/// <summary>The Redis room's log messages, with fixed event ids (400–449). Never a password, message bodies never.</summary>
internal static partial class RedisLog
{
    [LoggerMessage(400, LogLevel.Warning, "Redis connection lost ({ConnectionType}, {FailureType}): the room is split")]
    public static partial void Split(ILogger logger, ConnectionType connectionType, ConnectionFailureType failureType);

    [LoggerMessage(401, LogLevel.Information, "Redis connection restored ({ConnectionType})")]
    public static partial void Restored(ILogger logger, ConnectionType connectionType);

    [LoggerMessage(402, LogLevel.Debug, "Dropped an event from {Node}: sequence {Sequence} already seen")]
    public static partial void Duplicate(ILogger logger, string node, long sequence);

    // A warning, so that it shows without --verbose: lines were lost for this server's members (and a benchmark's log
    // tells a run with losses from a clean one).
    [LoggerMessage(403, LogLevel.Warning, "{Count} event(s) from {Node} never arrived (a split or a dropped subscription)")]
    public static partial void Gap(ILogger logger, string node, long count);

    [LoggerMessage(404, LogLevel.Debug, "Event not published: {Reason}")]
    public static partial void NotPublished(ILogger logger, string reason);

    [LoggerMessage(405, LogLevel.Warning, "Presence heartbeat failed")]
    public static partial void HeartbeatFailed(ILogger logger, Exception error);

    [LoggerMessage(406, LogLevel.Information, "Node {Node} stopped its heartbeat: {Count} member(s) gone")]
    public static partial void NodeGone(ILogger logger, string node, int count);

    [LoggerMessage(407, LogLevel.Warning, "A malformed event arrived on the room's channel and was ignored")]
    public static partial void Malformed(ILogger logger);

    [LoggerMessage(408, LogLevel.Warning, "Handling an event from Redis failed")]
    public static partial void HandlerFailed(ILogger logger, Exception error);

    [LoggerMessage(409, LogLevel.Warning, "Another server took this node's name ({Node}) while Redis did not hear from it; serving split")]
    public static partial void NodeNameLost(ILogger logger, string node);

    [LoggerMessage(410, LogLevel.Warning, "Redis dropped this server's subscription (client-output-buffer-limit pubsub?) and it subscribed again; lines published meanwhile did not reach this server")]
    public static partial void Resubscribed(ILogger logger);

    [LoggerMessage(412, LogLevel.Debug, "Redis still away ({Failure}): the room stays split")]
    public static partial void StillSplit(ILogger logger, string failure);

    [LoggerMessage(411, LogLevel.Warning, "Events in bus format {Theirs} arrive on the room's channel and are ignored: this server speaks format {Ours}; run the same marcel version on every server of the room")]
    public static partial void ForeignFormat(ILogger logger, int theirs, int ours);
}
