using Marcel.Core.Chat.Events;

namespace Marcel.Core.Chat.Roster;

/// <summary>
/// Who is in the room, by name: unique names (case-insensitively), the <c>userN</c> names given to newcomers, the
/// lists <c>/who</c> shows and the counts. Async so that a roster shared by several servers (in Redis) can stand in
/// for the local one; it holds identities (data), never members (the room keeps its local members itself).
/// </summary>
/// <remarks>Every method may be called from many threads at once.</remarks>
public interface IRoster
{
    /// <summary>Enters <paramref name="newcomer"/> under the first free name <c>userN</c> (N counting up); returns its named identity.</summary>
    ValueTask<MemberIdentity> AddAsync(MemberIdentity newcomer, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives <paramref name="member"/> the name <paramref name="name"/> (already validated); returns the renamed
    /// identity, or null when someone else holds that name in any case. Its old name is free again.
    /// </summary>
    ValueTask<MemberIdentity?> TryRenameAsync(MemberIdentity member, string name, CancellationToken cancellationToken = default);

    /// <summary>Takes <paramref name="member"/> out (by <see cref="MemberIdentity.Id"/>); its name is free again. No-op when absent.</summary>
    ValueTask RemoveAsync(MemberIdentity member, CancellationToken cancellationToken = default);

    /// <summary>Who goes by <paramref name="name"/> (any case), or null.</summary>
    ValueTask<MemberIdentity?> FindAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>How many are in the room, and the first <paramref name="limit"/> of them in the order they entered.</summary>
    ValueTask<RosterPage> ListAsync(int limit, CancellationToken cancellationToken = default);
}
