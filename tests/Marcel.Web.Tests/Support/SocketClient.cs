using System.Net.WebSockets;
using System.Text;

namespace Marcel.Web.Tests.Support;

/// <summary>A WebSocket test client (System.Net's own): send lines, read messages, every wait bounded.</summary>
internal sealed class SocketClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Queue<string> _lines = new();

    private SocketClient(ClientWebSocket socket) => _socket = socket;

    public ClientWebSocket Socket => _socket;

    public static async Task<SocketClient> ConnectAsync(Uri page, string? origin = null, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        configure?.Invoke(socket.Options);
        var uri = new UriBuilder(page) { Scheme = page.Scheme == "https" ? "wss" : "ws", Path = "/ws" }.Uri;
        await socket.ConnectAsync(uri, Timeouts.StepToken());
        return new SocketClient(socket);
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    public async Task SendAsync(byte[] bytes, WebSocketMessageType type) =>
        await _socket.SendAsync(bytes, type, endOfMessage: true, Timeouts.StepToken());

    /// <summary>The next text message, or null once the server closed (see <see cref="ClientWebSocket.CloseStatus"/>).</summary>
    public async Task<string?> ReceiveAsync()
    {
        var message = new MemoryStream();
        byte[] buffer = new byte[16 * 1024];
        while (true)
        {
            ValueWebSocketReceiveResult result = await _socket.ReceiveAsync(buffer.AsMemory(), Timeouts.StepToken());
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(message.ToArray());
            }
        }
    }

    /// <summary>The next line: a message from the room may hold several, separated by LF. Null once closed.</summary>
    public async Task<string?> ReadLineAsync()
    {
        while (_lines.Count == 0)
        {
            if (await ReceiveAsync() is not { } message)
            {
                return null;
            }

            foreach (string line in message.Split('\n')) _lines.Enqueue(line);
        }

        return _lines.Dequeue();
    }

    /// <summary>Reads lines until one starts with <paramref name="start"/>; returns it.</summary>
    public async Task<string> ReadLineStartingAsync(string start)
    {
        var seen = new List<string>();
        while (await ReadLineAsync() is { } line)
        {
            if (line.StartsWith(start, StringComparison.Ordinal)) return line;
            seen.Add(line);
        }

        throw new InvalidOperationException($"Closed ({_socket.CloseStatus}) before a line starting '{start}'; got: {string.Join(" | ", seen)}");
    }

    /// <summary>Reads text messages until one contains <paramref name="text"/>; returns it.</summary>
    public async Task<string> ReceiveUntilAsync(string text)
    {
        var seen = new List<string>();
        while (await ReceiveAsync() is { } message)
        {
            if (message.Contains(text, StringComparison.Ordinal))
            {
                return message;
            }

            seen.Add(message);
        }

        throw new InvalidOperationException($"Closed ({_socket.CloseStatus}) before a message with '{text}'; got: {string.Join(" | ", seen)}");
    }

    /// <summary>Reads until the server's close frame; returns its status.</summary>
    public async Task<WebSocketCloseStatus?> ReceiveCloseAsync()
    {
        while (await ReceiveAsync() is not null)
        {
        }

        return _socket.CloseStatus;
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
