using Marcel.Core.Chat.Events;

namespace Marcel.Core.Chat.Bus;

/// <summary>Where a bus hands the room's events on one server: the room, which fans them out to its local members.</summary>
public interface IRoomEventSink
{
    /// <summary>
    /// Takes one event (from this node or another). Called from any thread, one event at a time per publishing node;
    /// returns quickly (it only queues to members, never sends).
    /// </summary>
    void Deliver(RoomEvent roomEvent);
}
