using Marcel.Core.Chat;
using Marcel.Core.Chat.Bus;
using Marcel.Core.Chat.Events;
using Marcel.Tests.Support;

namespace Marcel.Tests.Chat.Seams;

/// <summary>
/// What every bus must do, written once: run against the in-process bus here; a bus between servers (Redis) derives
/// its own class and supplies <see cref="CreateLinkedAsync"/> (its nodes started on one shared room).
/// </summary>
public abstract class RoomBusContractTests
{
    /// <summary>Buses of <paramref name="nodes"/> distinct nodes of one fresh room, not yet started.</summary>
    protected abstract Task<IReadOnlyList<IRoomBus>> CreateLinkedAsync(int nodes);

    /// <summary>How long a remote bus may take to carry an event to another node.</summary>
    protected virtual TimeSpan Carriage => Timeouts.Step;

    [Fact]
    public async Task A_node_s_own_event_reaches_its_sink_once_before_publish_returns()
    {
        IReadOnlyList<IRoomBus> buses = await CreateLinkedAsync(1);
        var sink = new RecordingSink();
        await buses[0].StartAsync(sink, TestContext.Current.CancellationToken);
        try
        {
            var said = MemberSaid.Line(Member("a", buses[0].Node), "hello");
            buses[0].Publish(said);
            Assert.Equal([said], sink.Events);
            await Task.Delay(50, TestContext.Current.CancellationToken); // A remote bus must not deliver it again when it comes back.
            Assert.Single(sink.Events);
        }
        finally
        {
            await buses[0].DisposeAsync();
        }
    }

    [Fact]
    public async Task Every_event_reaches_every_node_exactly_once_in_each_publisher_s_order()
    {
        const int nodes = 3, perNode = 300;
        IReadOnlyList<IRoomBus> buses = await CreateLinkedAsync(nodes);
        var sinks = buses.Select(_ => new RecordingSink()).ToArray();
        for (int n = 0; n < nodes; n++) await buses[n].StartAsync(sinks[n], TestContext.Current.CancellationToken);
        try
        {
            Assert.Equal(nodes, buses.Select(b => b.Node).Distinct().Count());
            await Task.WhenAll(buses.Select(bus => Task.Run(() =>
            {
                MemberIdentity from = Member("talker", bus.Node);
                for (int i = 0; i < perNode; i++) bus.Publish(MemberSaid.Line(from, i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }, TestContext.Current.CancellationToken)));

            foreach (RecordingSink sink in sinks)
            {
                await sink.WaitForCountAsync(nodes * perNode, Carriage);
                foreach (IRoomBus bus in buses)
                {
                    string[] got = sink.Events.OfType<MemberSaid>().Where(s => s.From.Node == bus.Node).Select(s => s.Texts().Single()).ToArray();
                    Assert.Equal(Enumerable.Range(0, perNode).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), got);
                }
            }

            await Task.Delay(50, TestContext.Current.CancellationToken); // A negative check: no late duplicate arrives meanwhile.
            Assert.All(sinks, s => Assert.Equal(nodes * perNode, s.Events.Count));
        }
        finally
        {
            foreach (IRoomBus bus in buses) await bus.DisposeAsync();
        }
    }

    [Fact]
    public async Task Joins_leaves_renames_and_kicks_cross_to_the_other_nodes_whole()
    {
        IReadOnlyList<IRoomBus> buses = await CreateLinkedAsync(2);
        var sinks = new[] { new RecordingSink(), new RecordingSink() };
        await buses[0].StartAsync(sinks[0], TestContext.Current.CancellationToken);
        await buses[1].StartAsync(sinks[1], TestContext.Current.CancellationToken);
        try
        {
            MemberIdentity a = Member("a", buses[0].Node) with { Name = "user1" };
            RoomEvent[] sent = [new MemberJoined(a), new MemberRenamed(a with { Name = "Alice" }, "user1"), new KickRequested(a), new MemberLeft(a, ChatCloseReason.Kicked)];
            foreach (RoomEvent e in sent) buses[0].Publish(e);
            await sinks[1].WaitForCountAsync(sent.Length, Carriage);
            Assert.Equal(sent, sinks[1].Events);
        }
        finally
        {
            foreach (IRoomBus bus in buses) await bus.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_batch_of_lines_crosses_whole_with_its_count_and_its_sender_s_identity()
    {
        IReadOnlyList<IRoomBus> buses = await CreateLinkedAsync(2);
        var sinks = new[] { new RecordingSink(), new RecordingSink() };
        await buses[0].StartAsync(sinks[0], TestContext.Current.CancellationToken);
        await buses[1].StartAsync(sinks[1], TestContext.Current.CancellationToken);
        try
        {
            string node = buses[0].Node;
            MemberIdentity zoe = new(node + "/7", "Zoé", MemberKinds.Web, node, "[::1]:50412");
            MemberIdentity console = new(node + "/0", "Marcel", MemberKinds.Operator, node, null);
            MemberSaid[] sent =
            [
                new(zoe, "un\ndeux ☃\n"u8.ToArray(), 2),
                new(zoe, "trois\n"u8.ToArray(), 1),
                MemberSaid.Line(console, "à tous"),
            ];
            foreach (MemberSaid said in sent) buses[0].Publish(said);
            await sinks[1].WaitForCountAsync(sent.Length, Carriage);

            MemberSaid[] got = [.. sinks[1].Events.Cast<MemberSaid>()];
            Assert.Equal(sent.Select(s => s.From), got.Select(s => s.From));
            Assert.Equal(sent.Select(s => s.Count), got.Select(s => s.Count));
            Assert.Equal(sent.Select(s => Convert.ToHexString(s.Lines.Span)), got.Select(s => Convert.ToHexString(s.Lines.Span)));
        }
        finally
        {
            foreach (IRoomBus bus in buses) await bus.DisposeAsync();
        }
    }

    protected static MemberIdentity Member(string id, string node) => new(node + "/" + id, id, MemberKinds.Tcp, node, null);
}
