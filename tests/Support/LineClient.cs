using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Marcel.Tests.Support;

/// <summary>A raw TCP test client on loopback: send bytes or lines, read lines, every read bounded.</summary>
internal sealed class LineClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;

    private LineClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = new StreamReader(_stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false);
    }

    public Socket Socket => _socket;

    public static async Task<LineClient> ConnectAsync(int port, IPAddress? address = null)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(address ?? IPAddress.Loopback, port), Timeouts.StepToken());
        return new LineClient(socket);
    }

    public async Task SendAsync(string text) => await SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(ReadOnlyMemory<byte> bytes) => await _stream.WriteAsync(bytes, Timeouts.StepToken());

    public Task SendLineAsync(string line) => SendAsync(line + "\n");

    /// <summary>The next line, or null when the server closed.</summary>
    public async Task<string?> ReadLineAsync() => await _reader.ReadLineAsync(Timeouts.StepToken());

    /// <summary>Reads until the server closes; returns every line.</summary>
    public async Task<List<string>> ReadToEndAsync()
    {
        var lines = new List<string>();
        while (await ReadLineAsync() is { } line) lines.Add(line);
        return lines;
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        await _stream.DisposeAsync();
    }
}
