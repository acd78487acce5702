using System.Globalization;
using Marcel.Core.Chat.Events;

namespace Marcel.Core.Chat.Roster;

/// <summary>The roster of a room on one server, in memory; every call completes at once.</summary>
public sealed class LocalRoster : IRoster
{
    private readonly Dictionary<string, MemberIdentity> _byName = new(StringComparer.OrdinalIgnoreCase);
    private int _nextUser;

    /// <summary>How many are in the room (synchronously: the local roster never waits).</summary>
    public int Count
    {
        get { lock (_byName) return _byName.Count; }
    }

    /// <inheritdoc />
    public ValueTask<MemberIdentity> AddAsync(MemberIdentity newcomer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(newcomer);
        lock (_byName)
        {
            string name;
            do
            {
                name = "user" + (++_nextUser).ToString(CultureInfo.InvariantCulture);
            }
            while (_byName.ContainsKey(name));

            MemberIdentity named = newcomer.WithName(name);
            _byName.Add(name, named);
            return ValueTask.FromResult(named);
        }
    }

    /// <inheritdoc />
    public ValueTask<MemberIdentity?> TryRenameAsync(MemberIdentity member, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(member);
        ArgumentException.ThrowIfNullOrEmpty(name);
        lock (_byName)
        {
            if (_byName.TryGetValue(name, out MemberIdentity? holder) && holder.Id != member.Id)
            {
                return ValueTask.FromResult<MemberIdentity?>(null);
            }

            RemoveLocked(member);
            MemberIdentity renamed = member.WithName(name);
            _byName.Add(name, renamed);
            return ValueTask.FromResult<MemberIdentity?>(renamed);
        }
    }

    /// <inheritdoc />
    public ValueTask RemoveAsync(MemberIdentity member, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(member);
        lock (_byName) RemoveLocked(member);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<MemberIdentity?> FindAsync(string name, CancellationToken cancellationToken = default)
    {
        lock (_byName) return ValueTask.FromResult(_byName.GetValueOrDefault(name ?? string.Empty));
    }

    /// <inheritdoc />
    public ValueTask<RosterPage> ListAsync(int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        lock (_byName)
        {
            return ValueTask.FromResult(new RosterPage(_byName.Count, [.. _byName.Values.Take(limit)]));
        }
    }

    /// <summary>Removes the entry of <paramref name="member"/>'s name if it is this member's (a rename may have freed it for another).</summary>
    private void RemoveLocked(MemberIdentity member)
    {
        if (_byName.TryGetValue(member.Name, out MemberIdentity? held) && held.Id == member.Id)
        {
            _byName.Remove(member.Name);
        }
    }
}
