using System.Net.WebSockets;
using Marcel.Core.Chat;
using Marcel.Core.Chat.Roster;
using Microsoft.Extensions.Logging.Abstractions;

namespace Marcel.Web.Tests.Support;

/// <summary>One room in the test process with both doors open: TCP line clients and WebSocket members (port 0 each).</summary>
internal sealed class MixedRoom : IAsyncDisposable
{
    private MixedRoom(InProcessRoom room, WebRoomHost web)
    {
        Tcp = room;
        Web = web;
    }

    public InProcessRoom Tcp { get; }

    public WebRoomHost Web { get; }

    public Uri Page => Web.PageUrls[0];

    public static async Task<MixedRoom> StartAsync(ChatOptions? options = null, TimeProvider? time = null, IRoster? roster = null, WebRoomOptions? web = null)
    {
        options ??= new ChatOptions();
        InProcessRoom room = await InProcessRoom.StartAsync(options, time: time, roster: roster);
        WebRoomHost host = await WebRoom.StartAsync(
            room.Server.Room, (web ?? new WebRoomOptions()) with { Host = "127.0.0.1", Port = 0, MaxMessageBytes = options.Lines.MaxLineBytes }, NullLoggerFactory.Instance);
        return new MixedRoom(room, host);
    }

    /// <summary>A WebSocket member, past its welcome; with the name it was given.</summary>
    public async Task<(SocketClient Client, string Name)> JoinWebAsync(Action<ClientWebSocketOptions>? configure = null)
    {
        SocketClient client = await SocketClient.ConnectAsync(Page, configure: configure);
        string welcome = await client.ReadLineAsync() ?? throw new InvalidOperationException("closed before the welcome");
        await client.ReadLineAsync(); // who is here
        int at = welcome.IndexOf("you are ", StringComparison.Ordinal) + "you are ".Length;
        return (client, welcome[at..welcome.IndexOf('.', at)]);
    }

    public async ValueTask DisposeAsync()
    {
        await Tcp.DisposeAsync();
        await Web.StopAsync();
        await Web.DisposeAsync();
    }
}
