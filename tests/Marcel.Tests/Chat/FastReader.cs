using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Marcel.Tests.Chat;

/// <summary>
/// A raw client that reads as fast as the socket allows on its own task (no per-line timer), for tests where the
/// reader must keep up with a flood. Lines are handed to a callback; sending goes straight to the socket.
/// </summary>
internal sealed class FastReader : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Task _reading;
    private readonly Action<string> _onLine;
    private readonly TaskCompletionSource<string> _name = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FastReader(Socket socket, Action<string> onLine)
    {
        _socket = socket;
        _onLine = onLine;
        _reading = Task.Run(ReadAsync);
    }

    /// <summary>The name from the welcome line.</summary>
    public Task<string> Name => _name.Task;

    /// <summary>Completes when the server closes the connection.</summary>
    public Task Closed => _reading;

    public static async Task<FastReader> ConnectAsync(int port, Action<string> onLine)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        return new FastReader(socket, onLine);
    }

    public async Task SendAsync(string text) => await _socket.SendAsync(Encoding.UTF8.GetBytes(text), SocketFlags.None);

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        await _reading.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task ReadAsync()
    {
        byte[] buffer = new byte[256 * 1024];
        var pending = new List<byte>();
        int read;
        while ((read = await _socket.ReceiveAsync(buffer, SocketFlags.None)) > 0)
        {
            int start = 0;
            for (int i = 0; i < read; i++)
            {
                if (buffer[i] != (byte)'\n') continue;
                string line;
                if (pending.Count > 0)
                {
                    pending.AddRange(buffer.AsSpan(start, i - start));
                    line = Encoding.UTF8.GetString(pending.ToArray());
                    pending.Clear();
                }
                else
                {
                    line = Encoding.UTF8.GetString(buffer, start, i - start);
                }

                Seen(line);
                start = i + 1;
            }

            pending.AddRange(buffer.AsSpan(start, read - start));
        }
    }

    private void Seen(string line)
    {
        const string marker = "you are ";
        int at = line.IndexOf(marker, StringComparison.Ordinal);
        if (!_name.Task.IsCompleted && at >= 0)
        {
            at += marker.Length;
            _name.TrySetResult(line[at..line.IndexOf('.', at)]);
        }

        _onLine(line);
    }
}
