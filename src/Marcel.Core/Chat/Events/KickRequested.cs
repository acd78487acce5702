namespace Marcel.Core.Chat.Events;

/// <summary>An operator asked to remove a member; the node that holds the member carries it out.</summary>
/// <param name="Member">Who is to leave.</param>
public sealed record KickRequested(MemberIdentity Member) : RoomEvent
{
    /// <inheritdoc />
    public override int Weight => 0;
}
