using Marcel.Redis;
using Marcel.Tests.Support;
using StackExchange.Redis;

namespace Marcel.Tests.Redis;

public sealed class RedisPresenceTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMilliseconds(600);

    private static async Task<IConnectionMultiplexer> ConnectAsync(RedisServer redis) =>
        await RedisConnector.ConnectAsync(new RedisRoomOptions { Address = new RedisAddress("127.0.0.1", redis.Port, null, false) }, "marcel-test");

    private static readonly RedisKeys Keys = new("marcel:room:test:");

    private static RedisPresence Node(IConnectionMultiplexer redis, string node, TimeSpan? ttl = null) =>
        new(redis, Keys, node, node + "-instance", ttl ?? Ttl);

    [Fact]
    public async Task Two_nodes_claiming_the_same_names_at_once_get_each_name_once()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        await using IConnectionMultiplexer a = await ConnectAsync(redis), b = await ConnectAsync(redis);
        RedisPresence left = Node(a, "a"), right = Node(b, "b");

        string[] names = [.. Enumerable.Range(1, 200).Select(i => "user" + i)];
        Task<bool>[] fromA = [.. names.Select(n => left.ClaimAsync("a/" + n, n, "{}"))];
        Task<bool>[] fromB = [.. names.Select(n => right.ClaimAsync("b/" + n, n.ToUpperInvariant(), "{}"))];
        bool[] wonA = await Task.WhenAll(fromA), wonB = await Task.WhenAll(fromB);

        Assert.All(Enumerable.Range(0, names.Length), i => Assert.True(wonA[i] ^ wonB[i], names[i]));
    }

    [Fact]
    public async Task A_released_name_is_free_again_and_a_held_one_is_not_released_by_another()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        await using IConnectionMultiplexer connection = await ConnectAsync(redis);
        RedisPresence a = Node(connection, "a"), b = Node(connection, "b");

        Assert.True(await a.ClaimAsync("a/1", "Alice", "{}"));
        await b.ReleaseAsync("b/9", "alice", leaving: true); // Not b's: no effect.
        Assert.False(await b.ClaimAsync("b/1", "ALICE", "{}"));
        await a.ReleaseAsync("a/1", "Alice", leaving: true);
        Assert.True(await b.ClaimAsync("b/1", "alice", "{}"));
    }

    [Fact]
    public async Task Guest_numbers_are_never_handed_out_twice_across_nodes()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        await using IConnectionMultiplexer a = await ConnectAsync(redis), b = await ConnectAsync(redis);
        Task<long>[] numbers = [.. Enumerable.Range(0, 400).Select(i => Node(i % 2 == 0 ? a : b, "n").NextUserNumberAsync())];
        long[] all = await Task.WhenAll(numbers);
        Assert.Equal(400, all.Distinct().Count());
    }

    [Fact]
    public async Task A_node_whose_heartbeat_stops_is_reaped_once_and_its_names_are_free()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        await using IConnectionMultiplexer connection = await ConnectAsync(redis);
        // The dead node's heartbeat expires soon; b and c outlive the test.
        RedisPresence dead = Node(connection, "dead"), b = Node(connection, "b", Timeouts.Process), c = Node(connection, "c", Timeouts.Process);
        await using ConnectionMultiplexer admin = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Port},allowAdmin=true");
        Task expired = await RedisWatch.ExpiryAsync(admin, Keys.Node("dead").ToString());
        Assert.NotNull(await dead.TakeOverAsync(TimeSpan.Zero, TimeSpan.Zero, TestContext.Current.CancellationToken));
        Assert.True(await dead.ClaimAsync("dead/1", "Alice", "alice-payload"));
        Assert.True(await dead.ClaimAsync("dead/2", "Bob", "bob-payload"));
        await dead.BeatAsync();
        await b.BeatAsync();
        await c.BeatAsync();

        Assert.Empty(await b.ReapAsync()); // Alive still.
        await expired; // In Redis's own time: the heartbeat's key is gone.
        Task<IReadOnlyList<(string Node, string[] Members)>> rb = b.ReapAsync(), rc = c.ReapAsync();
        IReadOnlyList<(string Node, string[] Members)> fromB = await rb, fromC = await rc;

        (string node, string[] members) = Assert.Single(fromB.Concat(fromC));
        Assert.Equal("dead", node);
        Assert.Equal(["alice-payload", "bob-payload"], members.Order());
        Assert.Empty(await b.ReapAsync());
        Assert.Empty(await c.ReapAsync());
        Assert.True(await b.ClaimAsync("b/1", "alice", "{}"));
    }

    [Fact]
    public async Task A_heartbeat_after_redis_restarted_empty_says_so_and_registering_again_restores_the_names()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        await using IConnectionMultiplexer connection = await ConnectAsync(redis);
        RedisPresence a = Node(connection, "a");
        Assert.NotNull(await a.TakeOverAsync(TimeSpan.Zero, TimeSpan.Zero, TestContext.Current.CancellationToken));
        Assert.True(await a.ClaimAsync("a/1", "Alice", "{}"));
        Assert.False((await a.BeatAsync()).Readded);

        Task back = RedisWatch.Restored(connection);
        await redis.KillAsync();
        await redis.RestartAsync();
        await back;

        Assert.True((await a.BeatAsync()).Readded);
        Assert.Empty(await a.RegisterAllAsync());
        Assert.False(await Node(connection, "b").ClaimAsync("b/1", "alice", "{}"));
    }
}
