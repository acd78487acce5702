using Marcel.Tests.Support;
using StackExchange.Redis;

namespace Marcel.Tests.Redis;

/// <summary>Events of a Redis connection and of Redis itself, to await instead of polling. Arm them before acting.</summary>
internal static class RedisWatch
{
    /// <summary>Completes when <paramref name="connection"/>'s <paramref name="type"/> link comes back.</summary>
    public static Task Restored(IConnectionMultiplexer connection, ConnectionType type = ConnectionType.Interactive) =>
        When(connection, type, restored: true);

    /// <summary>Completes when <paramref name="connection"/>'s <paramref name="type"/> link is lost.</summary>
    public static Task Failed(IConnectionMultiplexer connection, ConnectionType type = ConnectionType.Interactive) =>
        When(connection, type, restored: false);

    /// <summary>
    /// Subscribes to Redis's keyspace notifications for expirations (<c>notify-keyspace-events Ex</c>); the task it
    /// returns completes when Redis expires <paramref name="key"/> in its own time.
    /// </summary>
    public static async Task<Task> ExpiryAsync(IConnectionMultiplexer admin, string key)
    {
        await admin.GetDatabase().ExecuteAsync("CONFIG", "SET", "notify-keyspace-events", "Ex");
        var expired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await admin.GetSubscriber().SubscribeAsync(RedisChannel.Literal("__keyevent@0__:expired"), (_, message) =>
        {
            if (message == key) expired.TrySetResult();
        });
        return expired.Task.WaitAsync(Timeouts.Step, TestContext.Current.CancellationToken);
    }

    private static Task When(IConnectionMultiplexer connection, ConnectionType type, bool restored)
    {
        var happened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        EventHandler<ConnectionFailedEventArgs> handler = (_, e) =>
        {
            if (e.ConnectionType == type) happened.TrySetResult();
        };
        if (restored) connection.ConnectionRestored += handler;
        else connection.ConnectionFailed += handler;
        return happened.Task.WaitAsync(Timeouts.Step, TestContext.Current.CancellationToken);
    }
}
