namespace Marcel.Core.Chat.Events;

/// <summary>A member left the room, and why (a shutdown is not announced).</summary>
/// <param name="Member">Who left, under its last name.</param>
/// <param name="Reason">Why.</param>
public sealed record MemberLeft(MemberIdentity Member, ChatCloseReason Reason) : RoomEvent
{
    /// <inheritdoc />
    public override int Weight => 0;
}
