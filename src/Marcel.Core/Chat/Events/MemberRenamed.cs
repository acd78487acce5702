namespace Marcel.Core.Chat.Events;

/// <summary>A member took another name with <c>/nick</c>.</summary>
/// <param name="Member">The member under its new name.</param>
/// <param name="OldName">The name it had.</param>
public sealed record MemberRenamed(MemberIdentity Member, string OldName) : RoomEvent
{
    /// <inheritdoc />
    public override int Weight => 0;
}
