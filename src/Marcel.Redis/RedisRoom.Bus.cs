using Marcel.Core.Chat.Events;

namespace Marcel.Redis;

/// <summary>The bus side: this server's events go to its own room inline, then to Redis, one PUBLISH each.</summary>
public sealed partial class RedisRoom
{
    /// <inheritdoc />
    public void Publish(RoomEvent roomEvent)
    {
        ArgumentNullException.ThrowIfNull(roomEvent);
        _mirror.Observe(roomEvent);
        _sink?.Deliver(roomEvent);
        if (roomEvent is RoomNotice or PrivateReply || _splitNotice.IsSplit)
        {
            return; // Worded locally, or the room is split: this server only (at-most-once).
        }

        PublishRemote(roomEvent);
    }

    /// <summary>
    /// What this server learned or settled from Redis (members of a dead server gone, a member renamed after a name
    /// clash): to its room and to the others, like <see cref="Publish"/>, even while the room still counts as split,
    /// since Redis has just answered (rejoining is done before the room says it is whole).
    /// </summary>
    private void Announce(RoomEvent roomEvent)
    {
        _mirror.Observe(roomEvent);
        _sink?.Deliver(roomEvent);
        PublishRemote(roomEvent);
    }

    /// <summary>To the other servers only (one PUBLISH); dropped, not queued, when it cannot go now.</summary>
    private void PublishRemote(RoomEvent roomEvent)
    {
        if (!_channel.TryPublishEnvelope(RedisEventCodec.Encode(roomEvent, _channel.HeaderLength)))
        {
            RedisLog.NotPublished(_logger, "split or too many waiting");
        }
    }

    /// <summary>An event from another server, once, in that server's order.</summary>
    private void Received(ReadOnlyMemory<byte> payload)
    {
        RoomEvent? roomEvent = _codec.Decode(payload);
        if (roomEvent is null)
        {
            RedisLog.Malformed(_logger);
            return;
        }

        if (roomEvent is RoomNotice or PrivateReply)
        {
            return; // Never put on the bus by a marcel: ignore what another program might send.
        }

        if (roomEvent is MemberLeft left)
        {
            _codec.Forget(left.Member.Id);
        }

        if (roomEvent is MemberJoined joined && _mirror.Knows(joined.Member))
        {
            return; // A server announcing its members again after a split we did not see: nothing new.
        }

        _mirror.Observe(roomEvent);
        _sink?.Deliver(roomEvent);
    }
}
