using System.Globalization;
using StackExchange.Redis;

namespace Marcel.Redis;

/// <summary>
/// One node's presence in the room's Redis: the names its members hold (claimed NX, expiring), its heartbeat, and
/// the reaping of nodes whose heartbeat stopped. Payloads are opaque strings (the roster stores identities as JSON).
/// The node's own members are also kept here in memory, so that everything can be registered again after Redis
/// came back empty or the node was reaped during a split.
/// </summary>
internal sealed class RedisPresence
{
    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKeys _keys;
    private readonly string _node;
    private readonly string _instance;
    private readonly long _ttl;
    private readonly long _hashTtl;
    private readonly Dictionary<string, (string Name, string Payload)> _local = new(StringComparer.Ordinal);

    public RedisPresence(IConnectionMultiplexer redis, RedisKeys keys, string node, string instance, TimeSpan ttl)
    {
        _redis = redis;
        _keys = keys;
        _node = node;
        _instance = instance;
        _ttl = (long)ttl.TotalMilliseconds;
        // The hashes outlive the heartbeat long enough for another node to reap them, and then go by themselves
        // even if no node is left to do it.
        _hashTtl = _ttl * 10;
    }

    private IDatabase Db => _redis.GetDatabase();

    /// <summary>A number no other node hands out (for <c>userN</c>).</summary>
    public async Task<long> NextUserNumberAsync() => await Db.StringIncrementAsync(_keys.NextUser).ConfigureAwait(false);

    /// <summary>Claims <paramref name="name"/> for the member; false when another member anywhere holds it (any case).</summary>
    public async Task<bool> ClaimAsync(string memberId, string name, string payload)
    {
        string lower = name.ToLowerInvariant();
        RedisResult result = await Db.ScriptEvaluateAsync(RedisScripts.Claim,
            [_keys.Name(name), _keys.Names(_node), _keys.Members(_node)],
            [memberId, _ttl, lower, payload]).ConfigureAwait(false);
        if ((int)result != 1)
        {
            return false;
        }

        Remember(memberId, name, payload);
        return true;
    }

    /// <summary>Frees the member's <paramref name="name"/> if it holds it; with <paramref name="leaving"/> takes the member out too.</summary>
    public async Task ReleaseAsync(string memberId, string name, bool leaving)
    {
        if (leaving)
        {
            Forget(memberId);
        }

        await Db.ScriptEvaluateAsync(RedisScripts.Release,
            [_keys.Name(name), _keys.Names(_node), _keys.Members(_node)],
            [memberId, name.ToLowerInvariant(), leaving ? "1" : "0"]).ConfigureAwait(false);
    }

    /// <summary>Takes the node's name at start; retries until <paramref name="patience"/> while a live instance holds it.</summary>
    /// <returns>The payloads of members an earlier, dead instance left behind; null when the name stayed taken.</returns>
    public async Task<string[]?> TakeOverAsync(TimeSpan patience, TimeSpan pause, CancellationToken cancellationToken)
    {
        long deadline = Environment.TickCount64 + (long)patience.TotalMilliseconds;
        while (true)
        {
            RedisResult result = await Db.ScriptEvaluateAsync(RedisScripts.TakeOver,
                [_keys.Node(_node), _keys.Nodes, _keys.Members(_node), _keys.Names(_node)],
                [_instance, _ttl, _node, _keys.NamePrefix]).ConfigureAwait(false);
            if (!result.IsNull)
            {
                return Strings(result);
            }

            if (Environment.TickCount64 >= deadline)
            {
                return null;
            }

            await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One heartbeat; see <see cref="RedisScripts.Beat"/>.</summary>
    public async Task<BeatResult> BeatAsync()
    {
        RedisResult result = await Db.ScriptEvaluateAsync(RedisScripts.Beat,
            [_keys.Node(_node), _keys.Nodes, _keys.Members(_node), _keys.Names(_node)],
            [_instance, _ttl, _node, _keys.NamePrefix, _hashTtl]).ConfigureAwait(false);
        RedisResult[] parts = (RedisResult[])result!;
        long head = (long)parts[0];
        if (head < 0)
        {
            return new BeatResult(NameTaken: true, Readded: false, []);
        }

        return new BeatResult(false, head == 1, [.. parts.Skip(1).Select(p => (string)p!)]);
    }

    /// <summary>Keeps a member in memory only (Redis is away): it is registered when the room is whole again.</summary>
    public void Remember(string memberId, string name, string payload)
    {
        lock (_local) _local[memberId] = (name, payload);
    }

    /// <summary>Forgets a member that left.</summary>
    public void Forget(string memberId)
    {
        lock (_local) _local.Remove(memberId);
    }

    /// <summary>
    /// Writes this node's entries afresh from memory (after a split, or Redis came back empty): what Redis held of
    /// the node is replaced, so a member that left during the split leaves no trace. Returns the member ids whose
    /// names another node took meanwhile: they need a new name.
    /// </summary>
    public async Task<IReadOnlyList<string>> RegisterAllAsync()
    {
        await Db.KeyDeleteAsync([_keys.Members(_node), _keys.Names(_node)]).ConfigureAwait(false);
        KeyValuePair<string, (string Name, string Payload)>[] local;
        lock (_local) local = [.. _local];
        var lost = new List<string>();
        foreach ((string id, (string name, string payload)) in local)
        {
            if (!await ClaimAsync(id, name, payload).ConfigureAwait(false))
            {
                lost.Add(id);
            }
        }

        return lost;
    }

    /// <summary>A clean stop: this node's names and presence are freed at once.</summary>
    public async Task LeaveAsync() =>
        await Db.ScriptEvaluateAsync(RedisScripts.Leave,
            [_keys.Node(_node), _keys.Nodes, _keys.Members(_node), _keys.Names(_node)],
            [_instance, _node, _keys.NamePrefix]).ConfigureAwait(false);

    /// <summary>Reaps every other node whose heartbeat has expired; returns the members of those this node reaped.</summary>
    public async Task<IReadOnlyList<(string Node, string[] Members)>> ReapAsync()
    {
        var reaped = new List<(string, string[])>();
        foreach (RedisValue value in await Db.SetMembersAsync(_keys.Nodes).ConfigureAwait(false))
        {
            string node = value!;
            if (node == _node)
            {
                continue;
            }

            RedisResult result = await Db.ScriptEvaluateAsync(RedisScripts.Reap,
                [_keys.Node(node), _keys.Nodes, _keys.Members(node), _keys.Names(node)],
                [node, _keys.NamePrefix]).ConfigureAwait(false);
            if (!result.IsNull)
            {
                reaped.Add((node, Strings(result)));
            }
        }

        return reaped;
    }

    /// <summary>Every node's members as Redis holds them now (this node's included).</summary>
    public async Task<IReadOnlyList<(string Node, string[] Members)>> LoadAllAsync()
    {
        RedisValue[] nodes = await Db.SetMembersAsync(_keys.Nodes).ConfigureAwait(false);
        Task<RedisValue[]>[] members = [.. nodes.Select(n => Db.HashValuesAsync(_keys.Members(n!)))];
        await Task.WhenAll(members).ConfigureAwait(false);
        return [.. nodes.Select((n, i) => ((string)n!, members[i].Result.Select(v => (string)v!).ToArray()))];
    }

    private static string[] Strings(RedisResult result) =>
        result.Length <= 0 ? [] : [.. ((RedisResult[])result!).Select(r => (string)r!)];

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"presence of {_node} ({_instance})");
}

/// <summary>What one heartbeat found.</summary>
/// <param name="NameTaken">Another instance holds this node's name (two servers started with the same <c>--node</c>).</param>
/// <param name="Readded">This node was missing from the room's set: Redis restarted empty, or the node was reaped during a split.</param>
/// <param name="LostMembers">Member ids whose names another node holds now.</param>
internal sealed record BeatResult(bool NameTaken, bool Readded, IReadOnlyList<string> LostMembers);
