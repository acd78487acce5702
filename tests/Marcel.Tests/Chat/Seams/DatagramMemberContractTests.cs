using Marcel.Core.Chat;
using Marcel.Core.Chat.Members;
using Marcel.Core.Chat.Room;
using Marcel.Tests.Chat.Udp;
using Marcel.Tests.Support;

namespace Marcel.Tests.Chat.Seams;

/// <summary>The member contract, on datagram peers (UDP sockets on 127.0.0.1).</summary>
public sealed class DatagramMemberContractTests : RoomMemberContractTests
{
    protected override async Task<IMemberRoom> StartAsync(ChatOptions options) => new UdpRoom(await DatagramRoom.StartAsync(options));

    private sealed class UdpRoom(DatagramRoom room) : IMemberRoom
    {
        public ChatRoom Room => room.Server.Room;

        public async Task<IMemberPeer> JoinAsync()
        {
            (DatagramLinePeer peer, string name) = await room.JoinAsync();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (true)
            {
                if (Room.Members.Snapshot().SingleOrDefault(m => m.Identity.Name == name) is { } member) return new UdpPeer(peer, name, member);
                if (clock.Elapsed > Timeouts.Step) throw new TimeoutException(name + " never took its seat");
                await Task.Delay(5, TestContext.Current.CancellationToken);
            }
        }

        public ValueTask DisposeAsync() => room.DisposeAsync();
    }

    private sealed class UdpPeer(DatagramLinePeer peer, string name, IRoomMember member) : IMemberPeer
    {
        public string Name => name;

        public IRoomMember Member => member;

        public Task SendLineAsync(string line) => peer.SendLineAsync(line);

        public Task<string?> ReadLineAsync() => peer.ReadLineAsync();

        public ValueTask DisposeAsync() => peer.DisposeAsync();
    }
}
