using Marcel.Core.Chat.Events;

namespace Marcel.Core.Chat.Members;

/// <summary>
/// One member as the room sees it, whatever its kind (TCP line client, browser, datagram peer): an identity, a
/// bounded outgoing queue, and a way to be asked to leave. The room calls these from many threads at once; none
/// may block or do I/O (sending is the member's own drain, started outside the room's locks).
/// </summary>
/// <remarks>Derive from <see cref="QueuedMember"/>, which implements the queue and its drain, rather than from scratch.</remarks>
public interface IRoomMember
{
    /// <summary>Who it is; the room replaces it on a rename (same <see cref="MemberIdentity.Id"/>).</summary>
    MemberIdentity Identity { get; set; }

    /// <summary>When it last sent something (a <see cref="TimeProvider"/> timestamp): the idle sweep reads it.</summary>
    long LastHeard { get; }

    /// <summary>
    /// Queues <paramref name="delivery"/>. False when its queue would pass its bound: the room then drops the member
    /// (<see cref="ChatCloseReason.Overflow"/>) and tells the others. A member that is closing drops it and says true.
    /// </summary>
    bool TryDeliver(Delivery delivery);

    /// <summary>
    /// True the first time only: the member is yet to be told that a line it sent was not valid UTF-8. Once per member,
    /// so that a binary flood does not become a flood of notices.
    /// </summary>
    bool FirstInvalidUtf8();

    /// <summary>Asks the member to leave for <paramref name="reason"/> (kick, idle, overflow, shutdown); the first reason wins..</summary>
    void Dismiss(ChatCloseReason reason);
}
