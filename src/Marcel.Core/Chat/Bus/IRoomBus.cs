using Marcel.Core.Chat.Events;

namespace Marcel.Core.Chat.Bus;

/// <summary>
/// Between "something happened in the room" and "deliver it to this server's members": the seam where a room that
/// spans several servers (through Redis) plugs in. The in-process bus (<see cref="InProcessRoomBus"/>) is the default.
/// </summary>
/// <remarks>
/// Contract (tests in <c>Chat/Seams/RoomBusContractTests</c>): once <see cref="StartAsync"/> has returned, every event
/// published on any node joined to the same room reaches every node's sink exactly once, and the events one node
/// publishes reach each sink in the order it published them. A node's own events reach its own sink inline, before
/// <see cref="Publish"/> returns (a remote bus must not deliver them a second time when they come back).
/// </remarks>
public interface IRoomBus : IAsyncDisposable
{
    /// <summary>This server's name in the room (what <see cref="MemberIdentity.Node"/> says of its members).</summary>
    string Node { get; }

    /// <summary>
    /// Whether the room may span several servers (a remote bus): then <c>/who</c> names each member's server and
    /// <c>/stats</c> counts the members per server, even while every member sits on one.
    /// </summary>
    bool SpansServers { get; }

    /// <summary>Starts delivering the room's events to <paramref name="sink"/>; call once, before the first publish.</summary>
    ValueTask StartAsync(IRoomEventSink sink, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends <paramref name="roomEvent"/> to the whole room. Never blocks on the network: a remote bus sends in the
    /// background and, when it cannot, drops (at-most-once), never queues without bound.
    /// </summary>
    void Publish(RoomEvent roomEvent);
}
