namespace Marcel.Redis;

/// <summary>How a node joins a room that spans several servers through one Redis.</summary>
public sealed record RedisRoomOptions
{
    /// <summary>Longest room name.</summary>
    public const int MaxRoomLength = 64;

    /// <summary>Where Redis is.</summary>
    public required RedisAddress Address { get; init; }

    /// <summary>The password (from <c>MARCEL_REDIS_PASSWORD</c>), or <c>null</c>. Never printed nor logged.</summary>
    public string? Password { get; init; }

    /// <summary>
    /// With <c>rediss://</c>: a PEM file of the certificate authority (or the self-signed certificate) Redis's
    /// certificate must chain to, trusted instead of the system's roots (a site's private CA, as
    /// <c>redis-cli --cacert</c> takes). The host name is checked all the same. Default: the system's trusted roots.
    /// </summary>
    public string? CaFile { get; init; }

    /// <summary>
    /// The room's name (default <c>marcel</c>): nodes with the same name on the same Redis are one room, so several
    /// rooms can share a Redis. 1 to 64 ASCII letters, digits, <c>-</c>, <c>_</c>, <c>.</c>.
    /// </summary>
    public string Room { get; init; } = "marcel";

    /// <summary>
    /// This node's name in <c>/who</c> and <c>/stats</c>, and in the names of newcomers during a split
    /// (<c>user12-NODE</c>); by default the machine's name and the port it listens on. Two live nodes of a room may not
    /// share one: the second is refused at start (<see cref="RedisUnavailableException"/>); a node restarted after a
    /// crash takes its name back once its old presence expires (<see cref="PresenceTtl"/>).
    /// </summary>
    public string? NodeName { get; init; }

    /// <summary>
    /// When Redis cannot be reached at start: <c>false</c> (default) refuses to start; <c>true</c> starts split
    /// (the local room works) and joins the room once Redis answers.
    /// </summary>
    public bool StartSplit { get; init; }

    /// <summary>Bound on connecting to Redis, and on each command (a Redis that accepts and never answers). Default 5 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a node refreshes its presence and looks for nodes that stopped refreshing theirs. Default 1 s.</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a node's presence (and its members' names) outlive its last heartbeat. A node killed without a word
    /// has its members announced gone and their names freed at most <see cref="PresenceTtl"/> + <see cref="Heartbeat"/>
    /// after its last heartbeat. Default 3 s.
    /// </summary>
    public TimeSpan PresenceTtl { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Lines published and not yet acknowledged by Redis beyond which new ones reach this node only (counted). Default 10,000.</summary>
    public int MaxPendingPublishes { get; init; } = 10_000;

    /// <summary>Reconnection backoff: first retry after this, doubling up to <see cref="MaxRetryDelay"/>. Default 250 ms.</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Longest pause between two reconnection attempts. Default 5 s.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Every key and channel of this room starts with this: <c>marcel:room:NAME:</c>.</summary>
    public string Prefix => "marcel:room:" + Room + ":";

    /// <summary>Whether <paramref name="room"/> is an acceptable room name.</summary>
    public static bool IsValidRoom(string? room) =>
        room is { Length: > 0 and <= MaxRoomLength } && room.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>Throws when an option is out of its documented range.</summary>
    public RedisRoomOptions Validate()
    {
        ArgumentNullException.ThrowIfNull(Address);
        if (!IsValidRoom(Room))
        {
            throw new ArgumentException("1 to 64 ASCII letters, digits, '-', '_', '.'", nameof(Room));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Timeout, TimeSpan.Zero, nameof(Timeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Heartbeat, TimeSpan.Zero, nameof(Heartbeat));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PresenceTtl, Heartbeat, nameof(PresenceTtl));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPendingPublishes, 1, nameof(MaxPendingPublishes));
        return this;
    }
}
