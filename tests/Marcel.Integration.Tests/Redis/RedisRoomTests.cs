using Marcel.Core.Chat.Events;
using Marcel.Core.Chat.Roster;
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

    [Fact]
    public async Task Newcomers_named_during_a_split_never_share_a_name_across_servers_and_a_name_both_took_is_settled_once_whole()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using RedisServer redis = await RedisServer.StartAsync();
        (RedisRoom a, RecordingSink sinkA) = await StartAsync(redis, "a");
        await using RedisRoom first = a;
        (RedisRoom b, RecordingSink sinkB) = await StartAsync(redis, "b");
        await using RedisRoom second = b;

        await redis.KillAsync();
        await sinkA.WaitForNoticeAsync(Split);
        await sinkB.WaitForNoticeAsync(Split);

        // Neither server can ask Redis's counter: each names its newcomers on its own, and never as the other does.
        MemberIdentity[] onA = [.. await Task.WhenAll(Enumerable.Range(1, 3).Select(i => a.AddAsync(new MemberIdentity($"a/{i}", "", MemberKinds.Tcp, "a", null), ct).AsTask()))];
        MemberIdentity[] onB = [.. await Task.WhenAll(Enumerable.Range(1, 3).Select(i => b.AddAsync(new MemberIdentity($"b/{i}", "", MemberKinds.Tcp, "b", null), ct).AsTask()))];
        Assert.Empty(onA.Select(m => m.Name).Intersect(onB.Select(m => m.Name), StringComparer.OrdinalIgnoreCase));
        Assert.All(onA.Concat(onB), m => Assert.True(Core.Chat.ChatNames.IsValid(m.Name, "Marcel"), m.Name));

        // A /nick each server allowed on what it knew: both now hold Zed.
        Assert.NotNull(await a.TryRenameAsync(onA[0], "Zed", ct));
        Assert.NotNull(await b.TryRenameAsync(onB[0], "zed", ct));

        await redis.RestartAsync();
        await sinkA.WaitForNoticeAsync(Whole);
        await sinkB.WaitForNoticeAsync(Whole);

        // One server registers Zed first and keeps it; the other renames its member to a fresh userN and says so.
        // Both then agree on who is Zed and on the other one's new name.
        bool Settled(RedisRoom room)
        {
            MemberIdentity? zed = room.FindAsync("Zed", ct).AsTask().Result;
            string? loser = zed?.Id switch { "a/1" => "b/1", "b/1" => "a/1", _ => null };
            return loser is not null && room.ListAsync(int.MaxValue, ct).AsTask().Result.Members.Any(m => m.Id == loser && !m.Name.Equals("Zed", StringComparison.OrdinalIgnoreCase));
        }

        await sinkA.WaitUntilAsync(() => Settled(a), Timeouts.Step, "a settles who is Zed");
        await sinkB.WaitUntilAsync(() => Settled(b), Timeouts.Step, "b settles who is Zed");
        Assert.Equal((await a.FindAsync("Zed", ct))?.Id, (await b.FindAsync("Zed", ct))?.Id);
        // Both rooms hear it as a rename of the member who lost Zed (not as a stranger joining).
        // (The rename travels on the bus: it may reach a server after its roster already agrees; seen in CI.)
        foreach (RecordingSink sink in new[] { sinkA, sinkB })
        {
            await sink.WaitUntilAsync(
                () => sink.Events.Any(e => e is MemberRenamed { OldName: var old } && old.Equals("Zed", StringComparison.OrdinalIgnoreCase)),
                Timeouts.Step, "the rename of the member who lost Zed");
        }
        RosterPage everyone = await a.ListAsync(int.MaxValue, ct);
        Assert.Equal(everyone.Members.Count, everyone.Members.Select(m => m.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }
}
