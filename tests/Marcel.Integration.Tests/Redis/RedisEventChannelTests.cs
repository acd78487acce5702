using System.Collections.Concurrent;
using System.Text;
using Marcel.Redis;
using Marcel.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Marcel.Tests.Redis;

public sealed class RedisEventChannelTests
{
    private static readonly RedisChannel Channel = RedisChannel.Literal("marcel:room:test:events");

    private static async Task<IConnectionMultiplexer> ConnectAsync(RedisServer redis) =>
        await RedisConnector.ConnectAsync(new RedisRoomOptions { Address = new RedisAddress("127.0.0.1", redis.Port, null, false) }, "marcel-test");

    [Fact]
    public async Task Events_reach_the_other_nodes_once_in_order_and_never_come_back_to_their_publisher()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        await using IConnectionMultiplexer a = await ConnectAsync(redis), b = await ConnectAsync(redis), c = await ConnectAsync(redis);
        var got = new ConcurrentDictionary<string, ConcurrentQueue<string>>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        const int PerSender = 2000;
        RedisEventChannel Open(IConnectionMultiplexer redis, string name) => new(redis, Channel, name, 100_000, NullLogger.Instance, payload =>
        {
            ConcurrentQueue<string> mine = got.GetOrAdd(name, _ => new());
            mine.Enqueue(Encoding.UTF8.GetString(payload.Span));
            if (got.Values.Sum(q => q.Count) == 4 * PerSender) done.TrySetResult();
        });

        await using RedisEventChannel ca = Open(a, "a"), cb = Open(b, "b"), cc = Open(c, "c");
        await Task.WhenAll(ca.StartAsync(), cb.StartAsync(), cc.StartAsync());

        await Task.WhenAll(
            Task.Run(() => { for (int i = 1; i <= PerSender; i++) Assert.True(ca.TryPublish(Encoding.UTF8.GetBytes($"a {i}"))); }, TestContext.Current.CancellationToken),
            Task.Run(() => { for (int i = 1; i <= PerSender; i++) Assert.True(cb.TryPublish(Encoding.UTF8.GetBytes($"b {i}"))); }, TestContext.Current.CancellationToken));
        await done.Task.WaitAsync(Timeouts.Step, TestContext.Current.CancellationToken);

        Assert.Equal([.. Enumerable.Range(1, PerSender).Select(i => $"b {i}")], got["a"]);
        Assert.Equal([.. Enumerable.Range(1, PerSender).Select(i => $"a {i}")], got["b"]);
        Assert.Equal([.. Enumerable.Range(1, PerSender).Select(i => $"a {i}")], got["c"].Where(s => s[0] == 'a'));
        Assert.Equal([.. Enumerable.Range(1, PerSender).Select(i => $"b {i}")], got["c"].Where(s => s[0] == 'b'));
        Assert.Equal(0, cc.Counts.Duplicates + cc.Counts.Missed);
    }

    [Fact]
    public async Task An_event_published_twice_is_delivered_once()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        await using IConnectionMultiplexer a = await ConnectAsync(redis);
        var got = new ConcurrentQueue<string>();
        var last = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using RedisEventChannel channel = new(a, Channel, "me", 10, NullLogger.Instance, p =>
        {
            got.Enqueue(Encoding.UTF8.GetString(p.Span));
            if (got.Count == 2) last.TrySetResult();
        });
        await channel.StartAsync();

        // The envelope of "other"'s event number 1, sent twice (as a replaying relay would), then number 2.
        static byte[] Envelope(long sequence, string text) =>
            [RedisEventChannel.FormatVersion, 5, .. "other"u8, 0, 0, 0, 0, 0, 0, 0, (byte)sequence, .. Encoding.UTF8.GetBytes(text)];
        ISubscriber publisher = a.GetSubscriber();
        await publisher.PublishAsync(Channel, Envelope(1, "one"));
        await publisher.PublishAsync(Channel, Envelope(1, "one"));
        await publisher.PublishAsync(Channel, Envelope(2, "two"));

        // One connection's messages are handled in order: once "two" is in, the copy of "one" was seen and dropped.
        await last.Task.WaitAsync(Timeouts.Step, TestContext.Current.CancellationToken);
        Assert.Equal(["one", "two"], got);
        Assert.Equal(1, channel.Counts.Duplicates);
    }

    [Fact]
    public async Task An_envelope_of_another_bus_format_is_refused_not_half_read()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        await using IConnectionMultiplexer a = await ConnectAsync(redis), b = await ConnectAsync(redis);
        var got = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using RedisEventChannel channel = new(a, Channel, "me", 10, NullLogger.Instance, p => got.TrySetResult(Encoding.UTF8.GetString(p.Span)));
        await using RedisEventChannel current = new(b, Channel, "other", 10, NullLogger.Instance, _ => { });
        await channel.StartAsync();

        // Format 1, before the version byte: [id length 12][12-character id][sequence][JSON].
        await a.GetSubscriber().PublishAsync(Channel, (byte[])[12, .. "0123456789ab"u8, 0, 0, 0, 0, 0, 0, 0, 1, .. "{\"type\":\"said\"}"u8]);
        Assert.True(current.TryPublish("from this version"u8));

        // Handled in order: once the current envelope is in, the old one was refused.
        Assert.Equal("from this version", await got.Task.WaitAsync(Timeouts.Step, TestContext.Current.CancellationToken));
        Assert.Equal(1, channel.ForeignFormat);
    }

    [Fact]
    public async Task Nothing_is_queued_while_redis_is_away()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        await using IConnectionMultiplexer a = await ConnectAsync(redis);
        await using RedisEventChannel channel = new(a, Channel, "me", 10, NullLogger.Instance, _ => { });
        await channel.StartAsync();
        Task lost = RedisWatch.Failed(a);
        await redis.KillAsync();
        await lost;

        for (int i = 0; i < 1000; i++) Assert.False(channel.TryPublish("lost"u8));
        Assert.Equal(1000, channel.Counts.Dropped);
    }
}
