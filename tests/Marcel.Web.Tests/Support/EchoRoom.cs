using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;

namespace Marcel.Web.Tests.Support;

/// <summary>
/// The browser room's host on 127.0.0.1 port 0 with a stand-in for the room: each line a socket sends is answered
/// <c>echo: LINE</c>, and how each socket's reading ended is recorded. Tests the host and the reader without a room.
/// </summary>
internal sealed class EchoRoom : IAsyncDisposable
{
    private EchoRoom(WebRoomHost host) => Host = host;

    public WebRoomHost Host { get; }

    public int Port => Host.BoundEndPoints[0].Port;

    public Uri Page => Host.PageUrls[0];

    public string Origin => $"{Page.Scheme}://127.0.0.1:{Port}";

    /// <summary>The first message each socket gets.</summary>
    public const string Greeting = "echo room";

    /// <summary>How each socket's reading ended, in order.</summary>
    public BlockingCollection<WebSocketRead> Ends { get; } = new();

    /// <summary>Starts on <paramref name="port"/> (0: a free one).</summary>
    public static async Task<EchoRoom> StartAsync(WebRoomOptions? options = null, int port = 0, Func<EndPoint?, bool>? admits = null)
    {
        EchoRoom? room = null;
        WebRoomHost host = await WebRoomHost.StartAsync(
            (options ?? new WebRoomOptions()) with { Host = "127.0.0.1", Port = port },
            (socket, peer) => room!.ServeAsync(socket, peer, (options ?? new WebRoomOptions()).MaxMessageBytes),
            NullLoggerFactory.Instance,
            admits);
        room = new EchoRoom(host);
        return room;
    }

    /// <summary>A WebSocket client of this room, past the greeting.</summary>
    public async Task<SocketClient> ConnectAsync(string? origin = null, Action<ClientWebSocketOptions>? configure = null)
    {
        SocketClient client = await SocketClient.ConnectAsync(Page, origin, configure);
        Assert.Equal(Greeting, await client.ReceiveAsync());
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        await Host.DisposeAsync();
    }

    private async Task ServeAsync(WebSocket socket, WebPeer peer, int maxBytes)
    {
        var reader = new WebSocketMessageReader(socket, maxBytes);
        try
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(Greeting), WebSocketMessageType.Text, true, peer.Aborted);
            while (true)
            {
                WebSocketRead read = await reader.ReadAsync(peer.Aborted);
                if (read != WebSocketRead.Message)
                {
                    Ends.Add(read);
                    return;
                }

                var rest = new ReadOnlySequence<byte>(reader.Message);
                while (WebSocketLines.TryTake(ref rest, out ReadOnlySequence<byte> line))
                {
                    await socket.SendAsync(Encoding.UTF8.GetBytes("echo: " + Encoding.UTF8.GetString(line)), WebSocketMessageType.Text, true, peer.Aborted);
                }
            }
        }
        catch (WebSocketException)
        {
            // The WebSocket layer refused a frame (invalid UTF-8) and sent its close frame: read on (what arrives is
            // dropped) until the peer replies or hangs up, so that its reply cannot arrive at a closed socket (a reset).
            // Bounded, for a peer that does neither.
            Ends.Add(WebSocketRead.Closed);
            try
            {
                using CancellationTokenSource bound = CancellationTokenSource.CreateLinkedTokenSource(peer.Aborted);
                bound.CancelAfter(Timeouts.Step);
                while (socket.State == WebSocketState.CloseSent && (await socket.ReceiveAsync(new byte[256], bound.Token)).MessageType != WebSocketMessageType.Close)
                {
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // The peer hung up without replying, or never did either.
            }
        }
    }
}
