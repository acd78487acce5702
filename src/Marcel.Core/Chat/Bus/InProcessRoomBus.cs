using Marcel.Core.Chat.Events;

namespace Marcel.Core.Chat.Bus;

/// <summary>
/// The bus of a room on one server: an event goes straight to the room's sink, on the publisher's thread. Buses made
/// by <see cref="Linked"/> share one room in one process, as servers would through a remote bus (the contract tests
/// use them to show what a multi-server bus must do).
/// </summary>
public sealed class InProcessRoomBus : IRoomBus
{
    private readonly List<InProcessRoomBus> _group;
    private IRoomEventSink? _sink;

    /// <summary>A bus for a room on one server called <paramref name="node"/>.</summary>
    public InProcessRoomBus(string node = "local")
        : this(node, [])
    {
    }

    private InProcessRoomBus(string node, List<InProcessRoomBus> group)
    {
        ArgumentException.ThrowIfNullOrEmpty(node);
        Node = node;
        _group = group;
        lock (_group) _group.Add(this);
    }

    /// <inheritdoc />
    public string Node { get; }

    /// <inheritdoc />
    /// <remarks>True for buses made by <see cref="Linked"/> (several of them).</remarks>
    public bool SpansServers
    {
        get
        {
            lock (_group) return _group.Count > 1;
        }
    }

    /// <summary><paramref name="nodes"/> buses of one room, named <c>node1</c>, <c>node2</c>…</summary>
    public static IReadOnlyList<InProcessRoomBus> Linked(int nodes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nodes, 1);
        var group = new List<InProcessRoomBus>();
        return [.. Enumerable.Range(1, nodes).Select(n => new InProcessRoomBus("node" + n, group))];
    }

    /// <inheritdoc />
    public ValueTask StartAsync(IRoomEventSink sink, CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _sink, sink ?? throw new ArgumentNullException(nameof(sink)), null) is not null)
        {
            throw new InvalidOperationException("The bus is already started.");
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public void Publish(RoomEvent roomEvent)
    {
        ArgumentNullException.ThrowIfNull(roomEvent);
        _sink?.Deliver(roomEvent);
        if (_group.Count == 1)
        {
            return;
        }

        InProcessRoomBus[] others;
        lock (_group) others = [.. _group.Where(b => !ReferenceEquals(b, this))];
        foreach (InProcessRoomBus other in others)
        {
            other._sink?.Deliver(roomEvent);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        lock (_group) _group.Remove(this);
        return ValueTask.CompletedTask;
    }
}
