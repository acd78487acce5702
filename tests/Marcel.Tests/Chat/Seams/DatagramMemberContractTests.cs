using Marcel.Core.Chat;
using Marcel.Core.Chat.Members;
using Marcel.Core.Chat.Room;
using Marcel.Tests.Chat.Udp;

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
            // The welcome is queued just before the member takes its seat; the room tells its operator of the join
            // after it. One peer joins at a time, so each join has its own notice.
            await room.Console.WaitForAsync($"* {name} joined.");
            return new UdpPeer(peer, name, Room.Members.Snapshot().Single(m => m.Identity.Name == name));
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
