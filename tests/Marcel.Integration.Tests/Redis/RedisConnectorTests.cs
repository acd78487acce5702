using System.Net.Sockets;
using Marcel.Redis;
using Marcel.Tests.Support;
using StackExchange.Redis;

namespace Marcel.Tests.Redis;

public sealed class RedisConnectorTests
{
    private static RedisRoomOptions At(int port, string? password = null) => new()
    {
        Address = new RedisAddress("127.0.0.1", port, null, false),
        Password = password,
        Timeout = TimeSpan.FromSeconds(2),
    };

    [Fact]
    public async Task A_running_redis_is_reached()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        await using IConnectionMultiplexer connection = await RedisConnector.ConnectAsync(At(redis.Port), "marcel-test");
        Assert.True(connection.IsConnected);
        Assert.Equal("PONG", (await connection.GetDatabase().ExecuteAsync("PING")).ToString());
    }

    [Fact]
    public async Task An_absent_redis_is_one_line_naming_the_address()
    {
        using Socket holder = Loopback.ClosedPort(out int port);
        var error = await Assert.ThrowsAsync<RedisUnavailableException>(() => RedisConnector.ConnectAsync(At(port), "marcel-test"));
        Assert.Equal($"Cannot reach Redis at 127.0.0.1:{port}: connection refused (is redis-server running there? --start-split starts anyway).", error.Message);
    }

    [Fact]
    public async Task A_wrong_password_is_told_apart_and_never_shown()
    {
        await using RedisServer redis = await RedisServer.StartAsync(password: "right-one");
        var error = await Assert.ThrowsAsync<RedisUnavailableException>(() => RedisConnector.ConnectAsync(At(redis.Port, "wrong-one"), "marcel-test"));
        Assert.Contains("password was refused", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-one", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", error.Message, StringComparison.Ordinal);

        await using IConnectionMultiplexer connection = await RedisConnector.ConnectAsync(At(redis.Port, "right-one"), "marcel-test");
        Assert.True(connection.IsConnected);
    }

    [Fact]
    public async Task A_redis_that_accepts_and_never_answers_is_given_up_within_the_timeout()
    {
        using TcpListener silent = Loopback.Listen(out int port);
        var accepted = new List<Socket>();
        _ = Task.Run(async () =>
        {
            while (true) accepted.Add(await silent.AcceptSocketAsync());
        }, TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<RedisUnavailableException>(
            () => RedisConnector.ConnectAsync(At(port), "marcel-test").WaitAsync(Timeouts.Step, TestContext.Current.CancellationToken));
        Assert.StartsWith($"Cannot reach Redis at 127.0.0.1:{port}: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Starting_split_is_not_an_error_and_the_connection_comes_once_redis_answers()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        await redis.KillAsync();
        await using IConnectionMultiplexer connection = await RedisConnector.ConnectAsync(At(redis.Port) with { StartSplit = true }, "marcel-test");
        Assert.False(connection.IsConnected);

        // The subscription connection may come back before the interactive one, and IsConnected speaks of the latter.
        Task restored = RedisWatch.Restored(connection);
        await redis.RestartAsync();
        await restored;
        Assert.True(connection.IsConnected);
    }
}
