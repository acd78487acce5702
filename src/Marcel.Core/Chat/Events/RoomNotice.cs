namespace Marcel.Core.Chat.Events;

/// <summary>
/// An announcement to the local members, already worded ("* 3 people joined: a, b, c."): what a node makes of the
/// joins, leaves and renames it has seen in one notice window. Never put on the bus: each node words its own.
/// </summary>
/// <param name="Text">The line.</param>
/// <param name="SubjectId">The member not told (a newcomer is not told of its own lone join), or null.</param>
public sealed record RoomNotice(string Text, string? SubjectId) : RoomEvent
{
    /// <inheritdoc />
    public override string? ExceptId => SubjectId;

    /// <inheritdoc />
    public override int Weight => Text.Length + 1;
}
