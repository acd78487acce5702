using System.Globalization;
using System.Text.Json;
using Marcel.Core.Chat.Events;
using Marcel.Core.Chat.Roster;
using StackExchange.Redis;

namespace Marcel.Redis;

/// <summary>
/// The roster side: names are claimed in Redis (NX, expiring, refreshed by the heartbeat), so no two members anywhere
/// hold one at once; who is in the room is read from a mirror every server keeps from the room's events (and reloads
/// from Redis when it joins), so <c>/who</c> and a newcomer's welcome cost no round trip.
/// </summary>
public sealed partial class RedisRoom
{
    private readonly object _mirror = new();
    private readonly Dictionary<string, MemberIdentity> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _idByName = new(StringComparer.OrdinalIgnoreCase);
    private long _lastUser;

    /// <inheritdoc />
    public async ValueTask<MemberIdentity> AddAsync(MemberIdentity newcomer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(newcomer);
        if (!_split)
        {
            try
            {
                while (true)
                {
                    long number = await _presence.NextUserNumberAsync().ConfigureAwait(false);
                    InterlockedMax(ref _lastUser, number);
                    MemberIdentity named = newcomer.WithName("user" + number.ToString(CultureInfo.InvariantCulture));
                    if (await _presence.ClaimAsync(named.Id, named.Name, Json(named)).ConfigureAwait(false))
                    {
                        Put(named);
                        return named;
                    }
                }
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                EnterSplit();
            }
        }

        // Split: a name free as far as this server knows; checked again when the room is whole.
        MemberIdentity local;
        lock (_mirror)
        {
            string name;
            do
            {
                name = "user" + (++_lastUser).ToString(CultureInfo.InvariantCulture);
            }
            while (_idByName.ContainsKey(name));

            local = newcomer.WithName(name);
            PutLocked(local);
        }

        _presence.Remember(local.Id, local.Name, Json(local));
        return local;
    }

    /// <inheritdoc />
    public async ValueTask<MemberIdentity?> TryRenameAsync(MemberIdentity member, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(member);
        ArgumentException.ThrowIfNullOrEmpty(name);
        lock (_mirror)
        {
            if (_idByName.TryGetValue(name, out string? holder) && holder != member.Id)
            {
                return null;
            }
        }

        MemberIdentity renamed = member.WithName(name);
        bool remembered = false;
        if (!_split)
        {
            try
            {
                if (!await _presence.ClaimAsync(renamed.Id, name, Json(renamed)).ConfigureAwait(false))
                {
                    return null;
                }

                remembered = true;
                if (!string.Equals(member.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    await _presence.ReleaseAsync(member.Id, member.Name, leaving: false).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                EnterSplit();
            }
        }

        if (!remembered)
        {
            _presence.Remember(renamed.Id, name, Json(renamed));
        }

        Put(renamed);
        return renamed;
    }

    /// <inheritdoc />
    public async ValueTask RemoveAsync(MemberIdentity member, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(member);
        Drop(member.Id);
        _presence.Forget(member.Id);
        if (!_split)
        {
            try
            {
                await _presence.ReleaseAsync(member.Id, member.Name, leaving: true).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                // This node's entries are written afresh when the room is whole again; the name expires meanwhile.
                EnterSplit();
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<MemberIdentity?> FindAsync(string name, CancellationToken cancellationToken = default)
    {
        lock (_mirror)
        {
            return ValueTask.FromResult(_idByName.TryGetValue(name ?? string.Empty, out string? id) ? _byId[id] : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<RosterPage> ListAsync(int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        lock (_mirror)
        {
            return ValueTask.FromResult(new RosterPage(_byId.Count, [.. _byId.Values.Take(limit)]));
        }
    }

    /// <summary>Keeps the mirror in step with an event this server delivers (its own or another's).</summary>
    private void Observe(RoomEvent roomEvent)
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

    /// <summary>Whether the mirror already holds exactly this identity (a server announcing its members again after a split).</summary>
    private bool Knows(MemberIdentity member)
    {
        lock (_mirror) return _byId.TryGetValue(member.Id, out MemberIdentity? known) && known == member;
    }

    private void Put(MemberIdentity member)
    {
        lock (_mirror) PutLocked(member);
    }

    private void PutLocked(MemberIdentity member)
    {
        if (_byId.TryGetValue(member.Id, out MemberIdentity? old) && _idByName.TryGetValue(old.Name, out string? holder) && holder == member.Id)
        {
            _idByName.Remove(old.Name);
        }

        _byId[member.Id] = member;
        _idByName[member.Name] = member.Id;
    }

    private void Drop(string id)
    {
        lock (_mirror)
        {
            if (_byId.Remove(id, out MemberIdentity? old) && _idByName.TryGetValue(old.Name, out string? holder) && holder == id)
            {
                _idByName.Remove(old.Name);
            }
        }
    }

    /// <summary>
    /// After joining (again): writes this server's members afresh, renames those whose names another server took
    /// during a split, and tells this server's members who came and went elsewhere meanwhile.
    /// </summary>
    private async Task ResyncAsync()
    {
        await RenameLostAsync(await _presence.RegisterAllAsync().ConfigureAwait(false)).ConfigureAwait(false);
        await ReloadAsync().ConfigureAwait(false);

        // The others may have reaped this server during the split: announce its members again (a server that still
        // knows them says nothing, see Received).
        MemberIdentity[] mine;
        lock (_mirror) mine = [.. _byId.Values.Where(m => m.Node == Node && m.Kind != MemberKinds.Operator)];
        foreach (MemberIdentity member in mine)
        {
            PublishRemote(new MemberJoined(member));
        }
    }

    /// <summary>
    /// Reads who is on the other servers from Redis and tells this server's members of the differences with what it
    /// knew (members who came and went during a split). Run when joining and once more a heartbeat later, for the
    /// servers that registered again after this one looked.
    /// </summary>
    private async Task ReloadAsync()
    {
        var there = new Dictionary<string, MemberIdentity>(StringComparer.Ordinal);
        foreach ((string node, string[] members) in await _presence.LoadAllAsync().ConfigureAwait(false))
        {
            if (node == Node)
            {
                continue;
            }

            foreach (string payload in members)
            {
                if (Identity(payload) is { } member)
                {
                    there[member.Id] = member;
                }
            }
        }

        List<MemberIdentity> gone;
        lock (_mirror) gone = [.. _byId.Values.Where(m => m.Node != Node && !there.ContainsKey(m.Id))];
        foreach (MemberIdentity member in gone)
        {
            Drop(member.Id);
            _sink?.Deliver(new MemberLeft(member, Core.Chat.ChatCloseReason.HungUp));
        }

        foreach (MemberIdentity member in there.Values.Where(m => !Knows(m)))
        {
            RoomEvent news;
            lock (_mirror) news = _byId.TryGetValue(member.Id, out MemberIdentity? known) ? new MemberRenamed(member, known.Name) : new MemberJoined(member);
            Put(member);
            _sink?.Deliver(news);
        }
    }

    /// <summary>Members whose names another server holds now get a fresh <c>userN</c>; the room (and they) are told.</summary>
    private async Task RenameLostAsync(IReadOnlyList<string> lostIds)
    {
        foreach (string id in lostIds)
        {
            MemberIdentity? member;
            lock (_mirror) member = _byId.GetValueOrDefault(id);
            if (member is null)
            {
                continue;
            }

            Drop(id);
            MemberIdentity renamed = await AddAsync(member).ConfigureAwait(false);
            Publish(new MemberRenamed(renamed, member.Name));
        }
    }

    private static string Json(MemberIdentity member) => JsonSerializer.Serialize(member, RedisJson.Default.MemberIdentity);

    private MemberIdentity? Identity(string payload)
    {
        try
        {
            return JsonSerializer.Deserialize(payload, RedisJson.Default.MemberIdentity);
        }
        catch (JsonException)
        {
            RedisLog.Malformed(_logger);
            return null;
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long seen;
        while ((seen = Interlocked.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
