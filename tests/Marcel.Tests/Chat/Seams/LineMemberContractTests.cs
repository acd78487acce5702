using Marcel.Core.Chat;
using Marcel.Core.Chat.Members;
using Marcel.Core.Chat.Room;
using Marcel.Tests.Support;

namespace Marcel.Tests.Chat.Seams;

/// <summary>The member contract, on line clients over TCP (raw sockets).</summary>
public sealed class LineMemberContractTests : RoomMemberContractTests
{
    protected override async Task<IMemberRoom> StartAsync(ChatOptions options) => new TcpRoom(await InProcessRoom.StartAsync(options));

    private sealed class TcpRoom(InProcessRoom room) : IMemberRoom
    {
        public ChatRoom Room => room.Server.Room;

        public async Task<IMemberPeer> JoinAsync()
        {
            (LineClient client, string name) = await room.JoinAsync();
            return new TcpPeer(client, name, await SeatedAsync(Room, name, client.SendLineAsync, client.ReadLineAsync));
        }

        public ValueTask DisposeAsync() => room.DisposeAsync();
    }

    private sealed class TcpPeer(LineClient client, string name, IRoomMember member) : IMemberPeer
    {
        public string Name => name;

        public IRoomMember Member => member;

        public Task SendLineAsync(string line) => client.SendLineAsync(line);

        public Task<string?> ReadLineAsync() => client.ReadLineAsync();

        public ValueTask DisposeAsync() => client.DisposeAsync();
    }
}
