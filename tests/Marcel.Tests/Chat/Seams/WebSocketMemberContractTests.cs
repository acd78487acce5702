using System.Net.WebSockets;
using System.Text;
using Marcel.Core.Chat;
using Marcel.Core.Chat.Members;
using Marcel.Core.Chat.Room;
using Marcel.Tests.Support;
using Marcel.Web;
using Microsoft.Extensions.Logging.Abstractions;

namespace Marcel.Tests.Chat.Seams;

/// <summary>The member contract, on WebSocket clients of the browser room (System.Net's ClientWebSocket on a real Kestrel).</summary>
public sealed class WebSocketMemberContractTests : RoomMemberContractTests
{
    protected override async Task<IMemberRoom> StartAsync(ChatOptions options)
    {
        InProcessRoom room = await InProcessRoom.StartAsync(options);
        WebRoomHost web = await WebRoom.StartAsync(room.Server.Room, new WebRoomOptions { Host = "127.0.0.1", Port = 0 }, NullLoggerFactory.Instance);
        return new SocketRoom(room, web);
    }

    private sealed class SocketRoom(InProcessRoom room, WebRoomHost web) : IMemberRoom
    {
        public ChatRoom Room => room.Server.Room;

        public async Task<IMemberPeer> JoinAsync()
        {
            var socket = new ClientWebSocket();
            await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{web.BoundEndPoints[0].Port}/ws"), Timeouts.StepToken());
            var peer = new SocketPeer(socket);
            string welcome = await peer.ReadLineAsync() ?? throw new InvalidOperationException("closed before the welcome");
            await peer.ReadLineAsync(); // who is here
            int at = welcome.IndexOf("you are ", StringComparison.Ordinal) + "you are ".Length;
            peer.Name = welcome[at..welcome.IndexOf('.', at)];
            peer.Member = await SeatedAsync(Room, peer.Name, peer.SendLineAsync, peer.ReadLineAsync);
            return peer;
        }

        public async ValueTask DisposeAsync()
        {
            await room.DisposeAsync();
            await web.StopAsync();
            await web.DisposeAsync();
        }
    }

    /// <summary>A WebSocket peer; one frame may carry several lines (separated by LF), handed out one by one.</summary>
    private sealed class SocketPeer(ClientWebSocket socket) : IMemberPeer
    {
        private readonly Queue<string> _lines = new();

        public string Name { get; set; } = string.Empty;

        public IRoomMember Member { get; set; } = null!;

        public async Task SendLineAsync(string line) =>
            await socket.SendAsync(Encoding.UTF8.GetBytes(line), WebSocketMessageType.Text, endOfMessage: true, Timeouts.StepToken());

        public async Task<string?> ReadLineAsync()
        {
            while (_lines.Count == 0)
            {
                var message = new MemoryStream();
                byte[] buffer = new byte[64 * 1024];
                ValueWebSocketReceiveResult result;
                do
                {
                    try
                    {
                        result = await socket.ReceiveAsync(buffer.AsMemory(), Timeouts.StepToken());
                    }
                    catch (WebSocketException)
                    {
                        return null;
                    }

                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return null;
                    }

                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);
                foreach (string line in Encoding.UTF8.GetString(message.ToArray()).Split('\n')) _lines.Enqueue(line);
            }

            return _lines.Dequeue();
        }

        public ValueTask DisposeAsync()
        {
            socket.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
