using StackExchange.Redis;

namespace Marcel.Redis;

/// <summary>
/// The names of one room's keys and channel, all under <see cref="RedisRoomOptions.Prefix"/> (<c>marcel:room:NAME:</c>):
/// <list type="bullet">
/// <item><c>events</c>: the channel every node publishes the room's events on (one PUBLISH per batch of lines said).</item>
/// <item><c>nodes</c>: a set of the nodes' names.</item>
/// <item><c>node:NODE</c>: the node's heartbeat (its instance id, expiring after <see cref="RedisRoomOptions.PresenceTtl"/>).</item>
/// <item><c>node:NODE:members</c>: a hash of the node's members (member id → identity as JSON).</item>
/// <item><c>node:NODE:names</c>: a hash of the names the node holds (lower-case name → member id).</item>
/// <item><c>name:NAME</c>: a name's claim (lower case → member id), set NX with the same expiry, refreshed by the heartbeat.</item>
/// <item><c>next-user</c>: the counter behind <c>userN</c>, so that no two nodes hand out the same number.</item>
/// </list>
/// </summary>
internal sealed class RedisKeys(string prefix)
{
    public string Prefix { get; } = prefix;

    public RedisChannel Events { get; } = RedisChannel.Literal(prefix + "events");

    public RedisKey Nodes { get; } = prefix + "nodes";

    public RedisKey NextUser { get; } = prefix + "next-user";

    /// <summary>Followed by a lower-case name: that name's claim.</summary>
    public string NamePrefix => Prefix + "name:";

    public RedisKey Node(string node) => Prefix + "node:" + node;

    public RedisKey Members(string node) => Prefix + "node:" + node + ":members";

    public RedisKey Names(string node) => Prefix + "node:" + node + ":names";

    public RedisKey Name(string name) => NamePrefix + name.ToLowerInvariant();
}
