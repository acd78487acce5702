using System.Collections.Concurrent;
using Marcel.Core.Chat;
using Marcel.Core.Chat.Bus;
using Marcel.Core.Chat.Events;

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
    protected virtual TimeSpan Carriage => Support.Timeouts.Step;

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
            // A deliberate wait for what must not come: a remote bus must not deliver it again when it comes back.
            await Task.Delay(50, TestContext.Current.CancellationToken);
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

            // A deliberate wait for what must not come: no event is delivered twice after the last one arrived.
            await Task.Delay(50, TestContext.Current.CancellationToken);
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

    protected static MemberIdentity Member(string id, string node) => new(node + "/" + id, id, MemberKinds.Tcp, node, null);

    /// <summary>Records what a bus delivers.</summary>
    protected sealed class RecordingSink : IRoomEventSink
    {
        private readonly ConcurrentQueue<RoomEvent> _events = new();
        private readonly SemaphoreSlim _delivered = new(0);

        public IReadOnlyList<RoomEvent> Events => [.. _events];

        public void Deliver(RoomEvent roomEvent)
        {
            _events.Enqueue(roomEvent);
            _delivered.Release();
        }

        /// <summary>Waits for <paramref name="count"/> deliveries in all, woken by each one (no polling).</summary>
        public async Task WaitForCountAsync(int count, TimeSpan bound)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            limit.CancelAfter(bound);
            try
            {
                while (_events.Count < count)
                {
                    await _delivered.WaitAsync(limit.Token);
                }
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                Assert.Fail($"{_events.Count} of {count} events arrived");
            }
        }
    }
}

/// <summary>The bus contract, on the in-process bus (linked buses stand for servers in one process).</summary>
public sealed class InProcessRoomBusContractTests : RoomBusContractTests
{
    protected override Task<IReadOnlyList<IRoomBus>> CreateLinkedAsync(int nodes) => Task.FromResult<IReadOnlyList<IRoomBus>>(InProcessRoomBus.Linked(nodes));
}
