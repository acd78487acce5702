using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Marcel.Web.Tests.Support;

/// <summary>
/// A WebSocket client written down to the bytes (RFC 6455), for what a well-behaved client library never does: stay
/// unread with a tiny receive buffer, or never answer a ping. It costs one socket and no buffer while it waits, so a
/// test can hold thousands. Frames out are masked text frames (§5.3); frames in are parsed as far as the tests need.
/// </summary>
internal sealed class RawWebSocket : IDisposable
{
    private readonly Socket _socket;
    private byte[] _buffer = [];
    private int _start;
    private int _end;

    private RawWebSocket(Socket socket) => _socket = socket;

    public Socket Socket => _socket;

    /// <summary>The server's answer to the upgrade: its status line and headers.</summary>
    public string ResponseHead { get; private set; } = string.Empty;

    /// <summary>
    /// Opens <c>/ws</c> at <paramref name="server"/>; with <paramref name="receiveBuffer"/>, the kernel's receive buffer
    /// is set that small before connecting (so that a client that stops reading is full after a few KiB).
    /// <paramref name="extraHeaders"/> (each ending in CRLF) go into the upgrade request; <paramref name="textWithRequest"/>,
    /// when given, goes as a text frame in the same send as the request, before the 101 (what RFC 6455 §4.1 says a
    /// client does not do, and a server must not lose).
    /// </summary>
    public static async Task<RawWebSocket> ConnectAsync(
        IPEndPoint server, CancellationToken cancellationToken, int receiveBuffer = 0, string extraHeaders = "", string? textWithRequest = null)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (receiveBuffer > 0)
        {
            socket.ReceiveBufferSize = receiveBuffer;
        }

        var client = new RawWebSocket(socket);
        try
        {
            await socket.ConnectAsync(server, cancellationToken);
            string key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            byte[] request = Encoding.ASCII.GetBytes(
                $"GET /ws HTTP/1.1\r\nHost: {server}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n{extraHeaders}\r\n");
            await client.SendAllAsync(textWithRequest is null ? request : [.. request, .. TextFrame(textWithRequest)], cancellationToken);
            string head = client.ResponseHead = await client.ReadHeadAsync(cancellationToken);
            if (!head.StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("no upgrade: " + head);
            }

            return client;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends <paramref name="text"/> as one masked text frame.</summary>
    public Task SendTextAsync(string text, CancellationToken cancellationToken) => SendAllAsync(TextFrame(text), cancellationToken);

    /// <summary><paramref name="text"/> as one masked text frame.</summary>
    private static byte[] TextFrame(string text)
    {
        byte[] payload = Encoding.UTF8.GetBytes(text);
        int header = payload.Length < 126 ? 2 : payload.Length < 65536 ? 4 : 10;
        byte[] frame = new byte[header + 4 + payload.Length];
        frame[0] = 0x81; // FIN, text
        if (header == 2)
        {
            frame[1] = (byte)(0x80 | payload.Length);
        }
        else if (header == 4)
        {
            frame[1] = 0x80 | 126;
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payload.Length);
        }
        else
        {
            frame[1] = 0x80 | 127;
            BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(2), (ulong)payload.Length);
        }

        RandomNumberGenerator.Fill(frame.AsSpan(header, 4));
        for (int i = 0; i < payload.Length; i++)
        {
            frame[header + 4 + i] = (byte)(payload[i] ^ frame[header + (i % 4)]);
        }

        return frame;
    }

    /// <summary>
    /// The next text message, or null once the server closed (close frame, end of stream, reset). Pings are read and
    /// never answered: a client that stops answering them is what the server's ping timeout must find.
    /// </summary>
    public async Task<string?> ReadTextAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                if (!await FillAsync(2, cancellationToken)) return null;
                byte opcode = (byte)(_buffer[_start] & 0x0F);
                int length = _buffer[_start + 1] & 0x7F;
                int header = length == 126 ? 4 : length == 127 ? 10 : 2;
                if (!await FillAsync(header, cancellationToken)) return null;
                long payload = length == 126 ? BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(_start + 2))
                    : length == 127 ? (long)BinaryPrimitives.ReadUInt64BigEndian(_buffer.AsSpan(_start + 2)) : length;
                if (!await FillAsync(header + (int)payload, cancellationToken)) return null;
                string text = Encoding.UTF8.GetString(_buffer, _start + header, (int)payload);
                _start += header + (int)payload;
                if (_start == _end)
                {
                    (_buffer, _start, _end) = ([], 0, 0); // Nothing buffered: a quiet client holds no buffer.
                }

                switch (opcode)
                {
                    case 0x1:
                        return text;
                    case 0x8:
                        return null;
                }
            }
        }
        catch (SocketException)
        {
            return null;
        }
    }

    public void Dispose() => _socket.Dispose();

    private async Task SendAllAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        while (!bytes.IsEmpty)
        {
            bytes = bytes[await _socket.SendAsync(bytes, SocketFlags.None, cancellationToken)..];
        }
    }

    /// <summary>The HTTP response head; what follows it (the first frames) stays buffered.</summary>
    private async Task<string> ReadHeadAsync(CancellationToken cancellationToken)
    {
        for (int scanned = 0; ; )
        {
            int end = _buffer.AsSpan(_start + scanned, _end - _start - scanned).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                string head = Encoding.ASCII.GetString(_buffer, _start, scanned + end);
                _start += scanned + end + 4;
                return head;
            }

            scanned = Math.Max(0, _end - _start - 3);
            if (!await FillAsync(_end - _start + 1, cancellationToken))
            {
                throw new InvalidOperationException("closed during the handshake");
            }
        }
    }

    /// <summary>Reads until <paramref name="count"/> bytes are buffered from <c>_start</c>; false at end of stream.</summary>
    private async Task<bool> FillAsync(int count, CancellationToken cancellationToken)
    {
        if (_end - _start >= count) return true;
        if (_start + count > _buffer.Length)
        {
            byte[] grown = new byte[Math.Max(count, 4096)];
            _buffer.AsSpan(_start, _end - _start).CopyTo(grown);
            (_buffer, _end, _start) = (grown, _end - _start, 0);
        }

        while (_end - _start < count)
        {
            int read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellationToken);
            if (read == 0) return false;
            _end += read;
        }

        return true;
    }
}
