using Marcel.Core.Chat.Bus;
using Marcel.Core.Chat.Roster;
using Marcel.Redis;
using Marcel.Tests.Chat.Seams;
using Marcel.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Marcel.Tests.Redis;

/// <summary>One redis-server for a test class's contract tests; each test takes a room of its own on it.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private RedisServer? _server;
    private int _rooms;

    internal RedisServer Server => _server ?? throw new InvalidOperationException("not started");

    public async ValueTask InitializeAsync()
    {
        if (ExternalProgram.Find("redis-server") is not null)
        {
            _server = await RedisServer.StartAsync();
        }
    }

    /// <summary>Options for a fresh room on the shared server, as <paramref name="node"/>.</summary>
    public RedisRoomOptions Room(string room, string node)
    {
        ExternalProgram.Require("redis-server");
        return new RedisRoomOptions { Address = new RedisAddress("127.0.0.1", Server.Port, null, false), Room = room, NodeName = node };
    }

    public string NewRoomName() => "contract" + Interlocked.Increment(ref _rooms).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}

/// <summary>The bus contract, on Redis: nodes are RedisRooms of one room on one real redis-server.</summary>
public sealed class RedisRoomBusContractTests(RedisFixture redis) : RoomBusContractTests, IClassFixture<RedisFixture>
{
    protected override async Task<IReadOnlyList<IRoomBus>> CreateLinkedAsync(int nodes)
    {
        string room = redis.NewRoomName();
        return await Task.WhenAll(Enumerable.Range(1, nodes).Select(async n =>
            (IRoomBus)await RedisRoom.ConnectAsync(redis.Room(room, "node" + n), NullLoggerFactory.Instance)));
    }
}

/// <summary>The roster contract, on Redis.</summary>
public sealed class RedisRosterContractTests(RedisFixture redis) : RosterContractTests, IClassFixture<RedisFixture>
{
    protected override async Task<IRoster> CreateAsync()
    {
        RedisRoom room = await RedisRoom.ConnectAsync(redis.Room(redis.NewRoomName(), "local"), NullLoggerFactory.Instance);
        await room.StartAsync(new NullSink(), TestContext.Current.CancellationToken);
        return room;
    }

    private sealed class NullSink : IRoomEventSink
    {
        public void Deliver(Core.Chat.Events.RoomEvent roomEvent)
        {
        }
    }
}
