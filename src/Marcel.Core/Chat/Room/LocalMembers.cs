using Marcel.Core.Chat.Members;

namespace Marcel.Core.Chat.Room;

/// <summary>
/// The members connected to this server, by id, with a snapshot array for fan-out that is rebuilt only after
/// someone joined or left. Its lock guards only the dictionary: nothing is sent or queued under it.
/// </summary>
internal sealed class LocalMembers
{
    private readonly Dictionary<string, IRoomMember> _byId = new(StringComparer.Ordinal);
    private IRoomMember[] _snapshot = [];
    private int _version;
    private int _snapshotVersion;
    private int _reserved;
    private bool _closed;

    public int Count
    {
        get { lock (_byId) return _byId.Count; }
    }

    /// <summary>Holds a place for a newcomer while the roster names it; false when <paramref name="max"/> are in or coming.</summary>
    public bool TryReserve(int max)
    {
        lock (_byId)
        {
            if (_byId.Count + _reserved >= max)
            {
                return false;
            }

            _reserved++;
            return true;
        }
    }

    /// <summary>
    /// Turns a reservation into a seat (or just gives it back when <paramref name="member"/> is null); false, and no
    /// seat, once <see cref="Close"/> ran: the room is shutting down and would never dismiss a member seated after it.
    /// </summary>
    public bool Seat(IRoomMember? member)
    {
        lock (_byId)
        {
            _reserved--;
            if (member is null || _closed)
            {
                return false;
            }

            _byId.Add(member.Identity.Id, member);
            _version++;
            return true;
        }
    }

    /// <summary>
    /// Seats no one from now on and returns who is seated: every member is either in the list (and dismissed by the
    /// caller) or refused by <see cref="Seat"/>, so none slips in between the check and the list (issue 11's lost goodbye).
    /// </summary>
    public IRoomMember[] Close()
    {
        lock (_byId)
        {
            _closed = true;
            return [.. _byId.Values];
        }
    }

    /// <summary>Removes <paramref name="member"/>; false when it was not here (already removed).</summary>
    public bool Remove(IRoomMember member)
    {
        lock (_byId)
        {
            if (!_byId.TryGetValue(member.Identity.Id, out IRoomMember? found) || !ReferenceEquals(found, member))
            {
                return false;
            }

            _byId.Remove(member.Identity.Id);
            _version++;
            return true;
        }
    }

    public IRoomMember? Find(string id)
    {
        lock (_byId) return _byId.GetValueOrDefault(id);
    }

    /// <summary>The members now, as an array shared until the next join or leave (never modified).</summary>
    public IRoomMember[] Snapshot()
    {
        if (Volatile.Read(ref _snapshotVersion) == Volatile.Read(ref _version))
        {
            return Volatile.Read(ref _snapshot);
        }

        lock (_byId)
        {
            if (_snapshotVersion != _version)
            {
                Volatile.Write(ref _snapshot, [.. _byId.Values]);
                Volatile.Write(ref _snapshotVersion, _version);
            }

            return _snapshot;
        }
    }
}
