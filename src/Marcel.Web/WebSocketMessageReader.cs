using System.Buffers;
using System.Net.WebSockets;

namespace Marcel.Web;

/// <summary>What <see cref="WebSocketMessageReader.ReadAsync"/> found.</summary>
internal enum WebSocketRead
{
    /// <summary>A whole text message, in <see cref="WebSocketMessageReader.Message"/>.</summary>
    Message,

    /// <summary>The peer sent its close frame (or the socket is no longer open).</summary>
    Closed,

    /// <summary>A message over the largest size: the reader stopped reading it (close with 1009).</summary>
    TooBig,

    /// <summary>A binary message: not text (close with 1003).</summary>
    Binary,
}

/// <summary>
/// Reads a browser's messages whole, each bounded in size. While nothing arrives it holds no buffer: it waits with a
/// zero-byte receive (which the WebSocket passes down to the socket), then rents what the message needs
/// and gives it back at the next read (or <see cref="Release"/>). UTF-8 is checked by the WebSocket layer, which
/// closes with 1007 on invalid text.
/// </summary>
/// <remarks>Not thread-safe: one per member's read loop.</remarks>
internal sealed class WebSocketMessageReader
{
    private const int FirstBuffer = 4096;

    private readonly WebSocket _socket;
    private readonly int _maxBytes;
    private byte[]? _buffer;
    private int _length;

    /// <summary>Reads from <paramref name="socket"/> messages of at most <paramref name="maxBytes"/> bytes.</summary>
    public WebSocketMessageReader(WebSocket socket, int maxBytes)
    {
        _socket = socket;
        _maxBytes = maxBytes;
    }

    /// <summary>The last message read, valid until the next read or <see cref="Release"/>.</summary>
    public ReadOnlyMemory<byte> Message => _buffer.AsMemory(0, _length);

    /// <summary>
    /// Waits for the next message. Never pass a token that may fire while the socket should live on: a cancelled
    /// receive aborts the WebSocket.
    /// </summary>
    public async ValueTask<WebSocketRead> ReadAsync(CancellationToken cancellationToken)
    {
        Release();
        ValueWebSocketReceiveResult first = await _socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken);
        switch (first.MessageType)
        {
            case WebSocketMessageType.Close:
                return WebSocketRead.Closed;
            case WebSocketMessageType.Binary:
                return WebSocketRead.Binary;
        }

        if (first.EndOfMessage)
        {
            return WebSocketRead.Message; // An empty message: the zero-byte receive took it whole.
        }

        _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(FirstBuffer, _maxBytes + 1));
        while (true)
        {
            if (_length == _buffer.Length)
            {
                Grow(Math.Min(_buffer.Length * 2L, _maxBytes + 1L));
            }

            ValueWebSocketReceiveResult result = await _socket.ReceiveAsync(_buffer.AsMemory(_length), cancellationToken);
            switch (result.MessageType)
            {
                case WebSocketMessageType.Close:
                    return WebSocketRead.Closed;
                case WebSocketMessageType.Binary:
                    return WebSocketRead.Binary;
            }

            _length += result.Count;
            if (_length > _maxBytes)
            {
                return WebSocketRead.TooBig;
            }

            if (result.EndOfMessage)
            {
                return WebSocketRead.Message;
            }
        }
    }

    /// <summary>Gives the message's buffer back.</summary>
    public void Release()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }

        _length = 0;
    }

    private void Grow(long size)
    {
        byte[] larger = ArrayPool<byte>.Shared.Rent((int)size);
        _buffer.AsSpan(0, _length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer!);
        _buffer = larger;
    }
}
