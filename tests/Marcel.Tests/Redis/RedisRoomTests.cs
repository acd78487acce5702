using System.Collections.Concurrent;
using Marcel.Core.Chat.Bus;
using Marcel.Core.Chat.Events;
using Marcel.Redis;
using Marcel.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Marcel.Tests.Redis;

/// <summary>The Redis room in process: servers are RedisRooms on one real redis-server, their rooms recording sinks.</summary>
public sealed class RedisRoomTests
{
    private const string Split = "* The room is split: messages reach this server only.";
    private const string Whole = "* The room is whole again: messages reach every server.";

    private static RedisRoomOptions Options(RedisServer redis, string node) =>
        new() { Address = new RedisAddress("127.0.0.1", redis.Port, null, false), NodeName = node };

    private static async Task<(RedisRoom Room, Sink Sink)> StartAsync(RedisServer redis, string node)
    {
        RedisRoom room = await RedisRoom.ConnectAsync(Options(redis, node), NullLoggerFactory.Instance);
        var sink = new Sink();
        await room.StartAsync(sink, TestContext.Current.CancellationToken);
        return (room, sink);
    }

    private sealed class Sink : IRoomEventSink
    {
        public ConcurrentQueue<RoomEvent> Events { get; } = new();

        public void Deliver(RoomEvent roomEvent) => Events.Enqueue(roomEvent);

        public async Task WaitAsync(Func<RoomEvent, bool> match)
        {
            using var bound = new CancellationTokenSource(Timeouts.Step);
            while (!Events.Any(match)) await Task.Delay(20, bound.Token);
        }

        public Task WaitForNoticeAsync(string text) => WaitAsync(e => e is RoomNotice n && n.Text == text);
    }

    [Fact]
    public async Task A_subscription_redis_drops_is_noticed_and_resubscribed_and_lines_flow_again()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        (RedisRoom a, Sink sinkA) = await StartAsync(redis, "a");
        await using RedisRoom first = a;
        (RedisRoom b, Sink sinkB) = await StartAsync(redis, "b");
        await using RedisRoom second = b;
        MemberIdentity alice = new("a/1", "alice", MemberKinds.Tcp, "a", null);

        // What Redis does to a subscriber past client-output-buffer-limit pubsub: it closes that connection.
        await using ConnectionMultiplexer admin = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Port},allowAdmin=true");
        await admin.GetDatabase().ExecuteAsync("CLIENT", "KILL", "TYPE", "pubsub");
        using var bound = new CancellationTokenSource(Timeouts.Step);
        while (true)
        {
            a.Publish(MemberSaid.Line(alice, "probe"));
            if (sinkB.Events.OfType<MemberSaid>().Any(s => s.Texts().Single() == "probe")) break;
            await Task.Delay(100, bound.Token);
        }

        Assert.Equal(0, b.Counts.Duplicates);
    }

    [Fact]
    public async Task A_split_is_told_once_and_whole_once_and_what_is_said_meanwhile_stays_local()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        (RedisRoom a, Sink sinkA) = await StartAsync(redis, "a");
        await using RedisRoom first = a;
        (RedisRoom b, Sink sinkB) = await StartAsync(redis, "b");
        await using RedisRoom second = b;
        MemberIdentity alice = await a.AddAsync(new MemberIdentity("a/1", "", MemberKinds.Tcp, "a", null), TestContext.Current.CancellationToken);

        await redis.KillAsync();
        await sinkA.WaitForNoticeAsync(Split);
        a.Publish(MemberSaid.Line(alice, "during"));
        Assert.Contains(sinkA.Events, e => e is MemberSaid s && s.Texts().Single() == "during"); // Local members still hear it.

        await redis.RestartAsync();
        await sinkA.WaitForNoticeAsync(Whole);
        await sinkB.WaitForNoticeAsync(Whole);
        a.Publish(MemberSaid.Line(alice, "after"));
        await sinkB.WaitAsync(e => e is MemberSaid s && s.Texts().Single() == "after");

        Assert.Single(sinkA.Events, e => e is RoomNotice { Text: Split });
        Assert.Single(sinkA.Events, e => e is RoomNotice { Text: Whole });
        Assert.DoesNotContain(sinkB.Events, e => e is MemberSaid s && s.Texts().Single() == "during");
        // Redis came back empty: a registered its member again, so the name is still hers.
        using (var bound = new CancellationTokenSource(Timeouts.Step))
        {
            while (await b.FindAsync(alice.Name, TestContext.Current.CancellationToken) is null) await Task.Delay(50, bound.Token);
        }

        Assert.Equal(alice.Id, (await b.FindAsync(alice.Name, TestContext.Current.CancellationToken))?.Id);
        Assert.Null(await b.TryRenameAsync(new MemberIdentity("b/1", "user9", MemberKinds.Tcp, "b", null), alice.Name.ToUpperInvariant(), TestContext.Current.CancellationToken));
    }
}
