using System.Buffers;
using System.Net.WebSockets;

namespace Marcel.Web;

/// <summary>What <see cref="WebSocketMessageReader.ReadAsync"/> found.</summary>
internal enum WebSocketRead
{
    /// <summary>A text message: its lines were added.</summary>
    Lines,

    /// <summary>The peer sent its close frame (or the socket is no longer open).</summary>
    Closed,

    /// <summary>A message over the largest size: the reader stopped reading it (close with 1009).</summary>
    TooBig,

    /// <summary>A binary message: not text (close with 1003).</summary>
    Binary,
}

/// <summary>
/// Reads a browser's messages whole, each bounded in size. While nothing arrives it holds no buffer: it waits with a
/// zero-byte receive (which the WebSocket and Kestrel pass down to the socket), then rents what the message needs.
/// </summary>
internal sealed class WebSocketMessageReader
{
    private const int FirstBuffer = 4096;

    private readonly WebSocket _socket;
    private readonly int _maxBytes;

    /// <summary>Reads from <paramref name="socket"/> messages of at most <paramref name="maxBytes"/> bytes.</summary>
    public WebSocketMessageReader(WebSocket socket, int maxBytes)
    {
        _socket = socket;
        _maxBytes = maxBytes;
    }

    /// <summary>Waits for the next message; for a text message, adds its lines to <paramref name="lines"/>.</summary>
    public async ValueTask<WebSocketRead> ReadAsync(List<string> lines, CancellationToken cancellationToken)
    {
        ValueWebSocketReceiveResult first = await _socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken);
        if (first.MessageType == WebSocketMessageType.Close || _socket.State != WebSocketState.Open)
        {
            return WebSocketRead.Closed;
        }

        if (first.MessageType == WebSocketMessageType.Binary)
        {
            return WebSocketRead.Binary;
        }

        if (first.EndOfMessage)
        {
            // An empty message: the zero-byte receive consumed it whole.
            WebSocketLines.Split(ReadOnlyMemory<byte>.Empty, lines);
            return WebSocketRead.Lines;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Min(FirstBuffer, _maxBytes + 1));
        try
        {
            int filled = 0;
            while (true)
            {
                if (filled == buffer.Length)
                {
                    if (filled > _maxBytes)
                    {
                        return WebSocketRead.TooBig;
                    }

                    buffer = Grow(buffer, Math.Min((long)buffer.Length * 2, _maxBytes + 1L));
                }

                ValueWebSocketReceiveResult result = await _socket.ReceiveAsync(buffer.AsMemory(filled), cancellationToken);
                switch (result.MessageType)
                {
                    case WebSocketMessageType.Close:
                        return WebSocketRead.Closed;
                    case WebSocketMessageType.Binary:
                        return WebSocketRead.Binary;
                }

                filled += result.Count;
                if (filled > _maxBytes)
                {
                    return WebSocketRead.TooBig;
                }

                if (result.EndOfMessage)
                {
                    WebSocketLines.Split(buffer.AsMemory(0, filled), lines);
                    return WebSocketRead.Lines;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static byte[] Grow(byte[] buffer, long size)
    {
        byte[] larger = ArrayPool<byte>.Shared.Rent((int)size);
        buffer.CopyTo(larger, 0);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }
}
