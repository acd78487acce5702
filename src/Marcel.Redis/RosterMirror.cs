using Marcel.Core.Chat.Events;
using Marcel.Core.Chat.Roster;

namespace Marcel.Redis;

/// <summary>
/// What one server knows of who is in the room, on every server: kept from the room's events (and reloaded from
/// Redis when the server joins), so <c>/who</c>, a newcomer's welcome and a name's check cost no round trip. Names are
/// compared in any case. Safe from many threads.
/// </summary>
internal sealed class RosterMirror
{
    private readonly object _gate = new();
    private readonly Dictionary<string, MemberIdentity> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _idByName = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The member with this id, or null.</summary>
    public MemberIdentity? Get(string id)
    {
        lock (_gate) return _byId.GetValueOrDefault(id);
    }

    /// <summary>Who goes by <paramref name="name"/> (any case), or null.</summary>
    public MemberIdentity? Find(string name)
    {
        lock (_gate) return _idByName.TryGetValue(name, out string? id) ? _byId[id] : null;
    }

    /// <summary>Whether someone other than <paramref name="id"/> goes by <paramref name="name"/>.</summary>
    public bool HeldByAnother(string name, string id)
    {
        lock (_gate) return _idByName.TryGetValue(name, out string? holder) && holder != id;
    }

    /// <summary>How many are known, and the first <paramref name="limit"/>.</summary>
    public RosterPage List(int limit)
    {
        lock (_gate) return new RosterPage(_byId.Count, [.. _byId.Values.Take(limit)]);
    }

    /// <summary>The members that match (a copy).</summary>
    public MemberIdentity[] Where(Func<MemberIdentity, bool> match)
    {
        lock (_gate) return [.. _byId.Values.Where(match)];
    }

    /// <summary>Whether exactly this identity is known already (a server announcing its members again after a split).</summary>
    public bool Knows(MemberIdentity member)
    {
        lock (_gate) return _byId.TryGetValue(member.Id, out MemberIdentity? known) && known == member;
    }

    /// <summary>Enters or updates <paramref name="member"/>; returns what was known of it before, or null.</summary>
    public MemberIdentity? Put(MemberIdentity member)
    {
        lock (_gate) return PutLocked(member);
    }

    /// <summary>
    /// Enters <paramref name="newcomer"/> under the first name <paramref name="next"/> gives that nobody known holds,
    /// checked and taken at once.
    /// </summary>
    public MemberIdentity PutUnderFreeName(MemberIdentity newcomer, Func<string> next)
    {
        lock (_gate)
        {
            string name;
            do
            {
                name = next();
            }
            while (_idByName.ContainsKey(name));

            MemberIdentity named = newcomer.WithName(name);
            PutLocked(named);
            return named;
        }
    }

    /// <summary>Takes the member out; its name is free unless someone else holds it by now.</summary>
    public void Drop(string id)
    {
        lock (_gate)
        {
            if (_byId.Remove(id, out MemberIdentity? old) && _idByName.TryGetValue(old.Name, out string? holder) && holder == id)
            {
                _idByName.Remove(old.Name);
            }
        }
    }

    /// <summary>Keeps the mirror in step with an event a server delivers (its own or another's).</summary>
    public void Observe(RoomEvent roomEvent)
    {
        switch (roomEvent)
        {
            case MemberJoined joined:
                Put(joined.Member);
                break;
            case MemberRenamed renamed:
                Put(renamed.Member);
                break;
            case MemberLeft left:
                Drop(left.Member.Id);
                break;
        }
    }

    private MemberIdentity? PutLocked(MemberIdentity member)
    {
        if (_byId.TryGetValue(member.Id, out MemberIdentity? old) && _idByName.TryGetValue(old.Name, out string? holder) && holder == member.Id)
        {
            _idByName.Remove(old.Name);
        }

        _byId[member.Id] = member;
        _idByName[member.Name] = member.Id;
        return old;
    }
}
