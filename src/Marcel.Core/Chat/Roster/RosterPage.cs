using Marcel.Core.Chat.Events;

namespace Marcel.Core.Chat.Roster;

/// <summary>Part of the roster: the room's size and the first members listed.</summary>
/// <param name="Count">How many are in the room.</param>
/// <param name="Members">At most the number asked for, in the order they entered.</param>
public sealed record RosterPage(int Count, IReadOnlyList<MemberIdentity> Members);
