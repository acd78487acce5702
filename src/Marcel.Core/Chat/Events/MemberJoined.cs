namespace Marcel.Core.Chat.Events;

/// <summary>A member entered the room (it has its name already). Announced, coalesced with others, by each node.</summary>
/// <param name="Member">Who joined.</param>
public sealed record MemberJoined(MemberIdentity Member) : RoomEvent
{
    /// <inheritdoc />
    public override int Weight => 0;
}
