namespace Marcel.Redis;

/// <summary>
/// The Lua scripts behind presence: each runs atomically in Redis, which is what makes a name's claim, a heartbeat
/// and the reaping of a dead node race-free between nodes. (StackExchange.Redis sends each by its SHA1 once loaded.)
/// Keys are named inside the scripts from a prefix, so they suit one standalone Redis, not a Redis Cluster.
/// </summary>
internal static class RedisScripts
{
    /// <summary>
    /// KEYS: name claim, node's names hash, node's members hash. ARGV: member id, ttl ms, lower-case name, payload.
    /// 1 when the name is the member's now (free, expired, or already its own), 0 when someone else holds it.
    /// </summary>
    public const string Claim = """
        local held = redis.call('GET', KEYS[1])
        if held and held ~= ARGV[1] then return 0 end
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        redis.call('HSET', KEYS[2], ARGV[3], ARGV[1])
        redis.call('HSET', KEYS[3], ARGV[1], ARGV[4])
        return 1
        """;

    /// <summary>
    /// KEYS: name claim, node's names hash, node's members hash. ARGV: member id, lower-case name, '1' to take the
    /// member out too (a leave) or '0' (a rename). Frees the name only if this member holds it.
    /// </summary>
    public const string Release = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
        if redis.call('HGET', KEYS[2], ARGV[2]) == ARGV[1] then redis.call('HDEL', KEYS[2], ARGV[2]) end
        if ARGV[3] == '1' then redis.call('HDEL', KEYS[3], ARGV[1]) end
        return 1
        """;

    /// <summary>
    /// KEYS: node heartbeat, nodes set, node's members hash, node's names hash. ARGV: instance id, ttl ms, node name,
    /// name-claim prefix, hashes' ttl ms. Refreshes the node and every name it holds. Returns { -1 } when another
    /// instance holds the node's name, else { 1 if the node had to be added back to the set (reaped during a split,
    /// or Redis restarted empty) else 0, then the member ids whose names another node holds now }.
    /// </summary>
    public const string Beat = """
        local held = redis.call('GET', KEYS[1])
        if held and held ~= ARGV[1] then return { -1 } end
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        local result = { redis.call('SADD', KEYS[2], ARGV[3]) }
        redis.call('PEXPIRE', KEYS[3], ARGV[5])
        redis.call('PEXPIRE', KEYS[4], ARGV[5])
        local names = redis.call('HGETALL', KEYS[4])
        for i = 1, #names, 2 do
          local key = ARGV[4] .. names[i]
          local owner = redis.call('GET', key)
          if owner == names[i + 1] then redis.call('PEXPIRE', key, ARGV[2])
          elseif not owner then redis.call('SET', key, names[i + 1], 'PX', ARGV[2])
          else
            table.insert(result, names[i + 1])
            redis.call('HDEL', KEYS[4], names[i])
          end
        end
        return result
        """;

    /// <summary>
    /// KEYS: node heartbeat, nodes set, node's members hash, node's names hash. ARGV: node name, name-claim prefix.
    /// When the node's heartbeat has expired and this caller is the one that takes it out of the set, frees its
    /// names, deletes its hashes and returns its members' payloads (an empty list when it had none); else nil. Only
    /// one node ever gets the list, so the room is told once.
    /// </summary>
    public const string Reap = """
        local prefix = ARGV[2]
        if redis.call('EXISTS', KEYS[1]) == 1 then return false end
        if redis.call('SREM', KEYS[2], ARGV[1]) == 0 then return false end
        """ + "\n" + ClearNode;

    /// <summary>
    /// KEYS: node heartbeat, nodes set, node's members hash, node's names hash. ARGV: instance id, ttl ms, node name,
    /// name-claim prefix. Takes the node's name for this instance at start, NX: nil while a live instance holds it.
    /// Returns the members a dead earlier instance of the same name left behind (they are announced gone), freeing
    /// their names.
    /// </summary>
    public const string TakeOver = """
        local prefix = ARGV[4]
        if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return false end
        redis.call('SADD', KEYS[2], ARGV[3])
        """ + "\n" + ClearNode;

    /// <summary>
    /// KEYS: node heartbeat, nodes set, node's members hash, node's names hash. ARGV: instance id, node name,
    /// name-claim prefix. A clean stop: frees the node's names and presence at once (if this instance holds them).
    /// </summary>
    public const string Leave = """
        local prefix = ARGV[3]
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then return false end
        redis.call('DEL', KEYS[1])
        redis.call('SREM', KEYS[2], ARGV[2])
        """ + "\n" + ClearNode;

    /// <summary>
    /// The end of the three scripts above (KEYS[3], KEYS[4]: the node's hashes; <c>prefix</c>: the name-claim
    /// prefix): frees the names the node's members hold, deletes its hashes, returns its members' payloads.
    /// </summary>
    private const string ClearNode = """
        local names = redis.call('HGETALL', KEYS[4])
        for i = 1, #names, 2 do
          local key = prefix .. names[i]
          if redis.call('GET', key) == names[i + 1] then redis.call('DEL', key) end
        end
        local members = redis.call('HVALS', KEYS[3])
        redis.call('DEL', KEYS[3], KEYS[4])
        return members
        """;
}
