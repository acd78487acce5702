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

    private static async Task<(RedisRoom Room, RecordingSink Sink)> StartAsync(RedisServer redis, string node)
    {
        RedisRoom room = await RedisRoom.ConnectAsync(Options(redis, node), NullLoggerFactory.Instance);
        var sink = new RecordingSink();
        await room.StartAsync(sink, TestContext.Current.CancellationToken);
        return (room, sink);
    }

    private static bool Said(RoomEvent e, string text) => e is MemberSaid s && s.Texts().Single() == text;

    [Fact]
    public async Task A_subscription_redis_drops_is_noticed_and_resubscribed_and_lines_flow_again()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        (RedisRoom a, RecordingSink sinkA) = await StartAsync(redis, "a");
        await using RedisRoom first = a;
        (RedisRoom b, RecordingSink sinkB) = await StartAsync(redis, "b");
        await using RedisRoom second = b;
        MemberIdentity alice = new("a/1", "alice", MemberKinds.Tcp, "a", null);

        // What Redis does to a subscriber past client-output-buffer-limit pubsub: it closes that connection.
        await using ConnectionMultiplexer admin = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Port},allowAdmin=true");
        await admin.GetDatabase().ExecuteAsync("CLIENT", "KILL", "TYPE", "pubsub");

        // Each server notices (split), subscribes again before it rejoins (the client sends SUBSCRIBE before it
        // reports the connection restored), and says the room is whole only after that.
        foreach (RecordingSink sink in new[] { sinkA, sinkB })
        {
            await sink.WaitForNoticeAsync(Split);
            await sink.WaitForNoticeAsync(Whole);
        }

        a.Publish(MemberSaid.Line(alice, "probe"));
        await sinkB.WaitAsync(e => Said(e, "probe"));
        Assert.Equal(0, b.Counts.Duplicates);
    }

    [Fact]
    public async Task A_split_is_told_once_and_whole_once_and_what_is_said_meanwhile_stays_local()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        (RedisRoom a, RecordingSink sinkA) = await StartAsync(redis, "a");
        await using RedisRoom first = a;
        (RedisRoom b, RecordingSink sinkB) = await StartAsync(redis, "b");
        await using RedisRoom second = b;
        MemberIdentity alice = await a.AddAsync(new MemberIdentity("a/1", "", MemberKinds.Tcp, "a", null), TestContext.Current.CancellationToken);

        await redis.KillAsync();
        await sinkA.WaitForNoticeAsync(Split);
        a.Publish(MemberSaid.Line(alice, "during"));
        Assert.Contains(sinkA.Events, e => Said(e, "during")); // Local members still hear it.

        await redis.RestartAsync();
        await sinkA.WaitForNoticeAsync(Whole);
        await sinkB.WaitForNoticeAsync(Whole);
        a.Publish(MemberSaid.Line(alice, "after"));
        await sinkB.WaitAsync(e => Said(e, "after"));

        Assert.Single(sinkA.Events, e => e is RoomNotice { Text: Split });
        Assert.Single(sinkA.Events, e => e is RoomNotice { Text: Whole });
        Assert.DoesNotContain(sinkB.Events, e => Said(e, "during"));
        // Redis came back empty: a registered its member again, so the name is still hers. b learns it from an event
        // (a's announcement, or its own reload), and its mirror is updated before the event is delivered.
        await sinkB.WaitUntilAsync(() => b.FindAsync(alice.Name).AsTask().Result is not null, Timeouts.Step, "b knows " + alice.Name);

        Assert.Equal(alice.Id, (await b.FindAsync(alice.Name, TestContext.Current.CancellationToken))?.Id);
        Assert.Null(await b.TryRenameAsync(new MemberIdentity("b/1", "user9", MemberKinds.Tcp, "b", null), alice.Name.ToUpperInvariant(), TestContext.Current.CancellationToken));
    }
}
