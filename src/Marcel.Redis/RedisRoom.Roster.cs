using System.Globalization;
using System.Text.Json;
using Marcel.Core.Chat;
using Marcel.Core.Chat.Events;
using Marcel.Core.Chat.Roster;
using StackExchange.Redis;

namespace Marcel.Redis;

/// <summary>
/// The roster side: names are claimed in Redis (NX, expiring, refreshed by the heartbeat), so no two members anywhere
/// hold one at once; who is in the room is read from a <see cref="RosterMirror"/> every server keeps from the room's
/// events (and reloads from Redis when it joins), so <c>/who</c> and a newcomer's welcome cost no round trip. During a
/// split newcomers are named <c>userN-NODE</c>; a name two servers gave or took during a split is settled when the
/// room is whole: the server that registers second renames its member to a fresh <c>userN</c> and tells the room.
/// </summary>
public sealed partial class RedisRoom
{
    private readonly RosterMirror _mirror = new();
    private readonly string _nameTag;
    private long _lastUser;

    /// <inheritdoc />
    public async ValueTask<MemberIdentity> AddAsync(MemberIdentity newcomer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(newcomer);
        return !_splitNotice.IsSplit && await TryClaimUserNameAsync(newcomer).ConfigureAwait(false) is { } named
            ? named
            : NameWhileSplit(newcomer);
    }

    /// <inheritdoc />
    public async ValueTask<MemberIdentity?> TryRenameAsync(MemberIdentity member, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(member);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (_mirror.HeldByAnother(name, member.Id))
        {
            return null;
        }

        MemberIdentity renamed = member.WithName(name);
        bool remembered = false;
        if (!_splitNotice.IsSplit)
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
                _splitNotice.Enter();
            }
        }

        if (!remembered)
        {
            _presence.Remember(renamed.Id, name, Json(renamed));
        }

        _mirror.Put(renamed);
        return renamed;
    }

    /// <inheritdoc />
    public async ValueTask RemoveAsync(MemberIdentity member, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(member);
        _mirror.Drop(member.Id);
        _presence.Forget(member.Id);
        if (!_splitNotice.IsSplit)
        {
            try
            {
                await _presence.ReleaseAsync(member.Id, member.Name, leaving: true).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                // This node's entries are written afresh when the room is whole again; the name expires meanwhile.
                _splitNotice.Enter();
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<MemberIdentity?> FindAsync(string name, CancellationToken cancellationToken = default)
    {
        return ValueTask.FromResult(_mirror.Find(name ?? string.Empty));
    }

    /// <inheritdoc />
    public ValueTask<RosterPage> ListAsync(int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return ValueTask.FromResult(_mirror.List(limit));
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
        foreach (MemberIdentity member in _mirror.Where(m => m.Node == Node && m.Kind != MemberKinds.Operator))
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

        foreach (MemberIdentity member in _mirror.Where(m => m.Node != Node && !there.ContainsKey(m.Id)))
        {
            _mirror.Drop(member.Id);
            _sink?.Deliver(new MemberLeft(member, Core.Chat.ChatCloseReason.HungUp));
        }

        foreach (MemberIdentity member in there.Values.Where(m => !_mirror.Knows(m)))
        {
            _sink?.Deliver(_mirror.Put(member) is { } known ? new MemberRenamed(member, known.Name) : new MemberJoined(member));
        }
    }

    /// <summary>Members whose names another server holds now get a fresh <c>userN</c>; the room (and they) are told.</summary>
    private async Task RenameLostAsync(IReadOnlyList<string> lostIds)
    {
        foreach (string id in lostIds)
        {
            if (_mirror.Get(id) is not { } member)
            {
                continue;
            }

            _mirror.Drop(id);
            // Redis answers (this runs while rejoining, before the room counts as whole): a name from its counter,
            // and the room told even though the split is not over yet.
            MemberIdentity renamed = await TryClaimUserNameAsync(member).ConfigureAwait(false) ?? NameWhileSplit(member);
            Announce(new MemberRenamed(renamed, member.Name));
        }
    }

    /// <summary>The next <c>userN</c> of Redis's counter that nobody holds, claimed; null (the room split) when Redis does not answer.</summary>
    private async Task<MemberIdentity?> TryClaimUserNameAsync(MemberIdentity newcomer)
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
                    _mirror.Put(named);
                    return named;
                }
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _splitNotice.Enter();
            return null;
        }
    }

    /// <summary>
    /// Split: no counter to ask, so the name carries this server's (<c>user12-lab2</c>): two servers cut off from Redis
    /// never hand out the same one. Checked against what this server knows; claimed in Redis when the room is whole.
    /// </summary>
    private MemberIdentity NameWhileSplit(MemberIdentity newcomer)
    {
        MemberIdentity local = _mirror.PutUnderFreeName(newcomer, () => SplitName(Interlocked.Increment(ref _lastUser)));
        _presence.Remember(local.Id, local.Name, Json(local));
        return local;
    }

    /// <summary>
    /// <c>userN-NODE</c>: a newcomer's name while the room is split. The node's name (its letters, digits, <c>-</c>,
    /// <c>_</c> and <c>.</c>, anything else made <c>-</c>) keeps it apart from every other server's, cut to fit
    /// <see cref="ChatNames.MaxLength"/>.
    /// </summary>
    private string SplitName(long number)
    {
        string head = "user" + number.ToString(CultureInfo.InvariantCulture) + "-";
        return head + _nameTag[..Math.Min(_nameTag.Length, Math.Max(1, ChatNames.MaxLength - head.Length))];
    }

    private static string NameTag(string node)
    {
        string tag = new([.. node.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-')]);
        return tag.Length == 0 ? "node" : tag;
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
