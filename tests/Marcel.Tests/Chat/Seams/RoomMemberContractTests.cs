using Marcel.Core.Chat;
using Marcel.Core.Chat.Events;
using Marcel.Core.Chat.Members;
using Marcel.Core.Chat.Room;

namespace Marcel.Tests.Chat.Seams;

/// <summary>
/// What every kind of member must do, written once: run here against line clients over TCP; a browser or datagram
/// member derives its own class and supplies <see cref="StartAsync"/> (a room its peers can join).
/// </summary>
public abstract class RoomMemberContractTests
{
    /// <summary>A fresh room with <paramref name="options"/>, reachable by peers of the kind under test.</summary>
    protected abstract Task<IMemberRoom> StartAsync(ChatOptions options);

    [Fact]
    public async Task Lines_from_two_peers_reach_a_third_once_each_in_each_sender_s_order()
    {
        await using IMemberRoom room = await StartAsync(new ChatOptions());
        await using IMemberPeer a = await room.JoinAsync();
        await using IMemberPeer b = await room.JoinAsync();
        await using IMemberPeer c = await room.JoinAsync();
        Task sending = Task.WhenAll(Send(a), Send(b));
        var got = new List<string>();
        while (got.Count < 100)
        {
            string line = await c.ReadLineAsync() ?? throw new InvalidOperationException("closed");
            if (line.StartsWith('<')) got.Add(line);
        }

        await sending;
        foreach (IMemberPeer sender in new[] { a, b })
        {
            Assert.Equal(Enumerable.Range(0, 50).Select(i => $"<{sender.Name}> n {i} é"), got.Where(l => l.StartsWith($"<{sender.Name}> ", StringComparison.Ordinal)));
        }

        static async Task Send(IMemberPeer peer)
        {
            for (int i = 0; i < 50; i++) await peer.SendLineAsync($"n {i} é");
        }
    }

    [Fact]
    public async Task Deliveries_queued_from_many_threads_arrive_in_each_thread_s_order()
    {
        await using IMemberRoom room = await StartAsync(new ChatOptions());
        await using IMemberPeer peer = await room.JoinAsync();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (int i = 0; i < 100; i++) Assert.True(peer.Member.TryDeliver(new Delivery(PrivateReply.Of($"t{t} {i}"))));
        }, TestContext.Current.CancellationToken)));

        var got = new List<string>();
        while (got.Count < 400) got.Add(await peer.ReadLineAsync() ?? throw new InvalidOperationException("closed"));
        for (int t = 0; t < 4; t++)
        {
            Assert.Equal(Enumerable.Range(0, 100).Select(i => $"t{t} {i}"), got.Where(l => l.StartsWith($"t{t} ", StringComparison.Ordinal)));
        }

        if (peer.Member is QueuedMember queued)
        {
            await Support.Eventually.TrueAsync(() => queued.QueuedBytes == 0);
        }
    }

    [Fact]
    public async Task A_delivery_past_the_queue_bound_is_refused()
    {
        await using IMemberRoom room = await StartAsync(new ChatOptions { MaxQueueBytes = 1024 });
        await using IMemberPeer peer = await room.JoinAsync();
        Assert.False(peer.Member.TryDeliver(new Delivery(PrivateReply.Of(new string('x', 2000)))));
    }

    [Fact]
    public async Task A_member_dismissed_by_the_room_gets_its_last_line_and_the_room_is_told()
    {
        await using IMemberRoom room = await StartAsync(new ChatOptions());
        await using IMemberPeer leaving = await room.JoinAsync();
        await using IMemberPeer watcher = await room.JoinAsync();
        leaving.Member.Dismiss(ChatCloseReason.Kicked);
        var rest = new List<string>();
        while (await leaving.ReadLineAsync() is { } line) rest.Add(line);
        Assert.Equal("You were removed from the room by the operator.", rest.Last());
        string notice;
        do notice = await watcher.ReadLineAsync() ?? throw new InvalidOperationException("closed");
        while (!notice.Contains(" left", StringComparison.Ordinal));
        Assert.Equal($"* {leaving.Name} left (removed by the operator).", notice);
    }

    [Fact]
    public async Task Commands_are_answered_to_the_member_alone()
    {
        await using IMemberRoom room = await StartAsync(new ChatOptions());
        await using IMemberPeer a = await room.JoinAsync();
        await using IMemberPeer b = await room.JoinAsync();
        await a.SendLineAsync("/who");
        string who;
        do who = await a.ReadLineAsync() ?? throw new InvalidOperationException("closed");
        while (who.StartsWith("* ", StringComparison.Ordinal)); // The joins' notice may come first.
        Assert.Equal("2 in the room:", who);
        await a.SendLineAsync("/nick Zoe");
        string answer;
        do answer = await a.ReadLineAsync() ?? throw new InvalidOperationException("closed");
        while (!answer.StartsWith("You are now", StringComparison.Ordinal));
        Assert.Equal("Zoe", room.Room.Members.Find(a.Member.Identity.Id)?.Identity.Name);
    }

    /// <summary>
    /// The member the room seated for the peer called <paramref name="name"/>. The welcome is queued just before the
    /// seat is taken, but a member reads its peer only once seated: the answer to a command proves the seat.
    /// </summary>
    protected static async Task<IRoomMember> SeatedAsync(ChatRoom room, string name, Func<string, Task> send, Func<Task<string?>> read)
    {
        await send("/seated");
        while (await read() is { } line)
        {
            if (line.Contains("/seated", StringComparison.Ordinal))
            {
                return room.Members.Snapshot().Single(m => m.Identity.Name == name);
            }
        }

        throw new InvalidOperationException(name + " was closed before it took its seat");
    }
}

/// <summary>A room under test, which peers of one kind can join.</summary>
public interface IMemberRoom : IAsyncDisposable
{
    /// <summary>The room itself.</summary>
    ChatRoom Room { get; }

    /// <summary>A new peer, joined, its welcome lines read.</summary>
    Task<IMemberPeer> JoinAsync();
}

/// <summary>One peer of the kind under test, and the member the room made for it.</summary>
public interface IMemberPeer : IAsyncDisposable
{
    string Name { get; }

    IRoomMember Member { get; }

    Task SendLineAsync(string line);

    /// <summary>The next line the peer got (a said line as <c>&lt;name&gt; text</c>), or null once closed.</summary>
    Task<string?> ReadLineAsync();
}
