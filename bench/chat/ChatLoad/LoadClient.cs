using System.Buffers.Text;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace ChatLoad;

/// <summary>
/// One line client of the generator. Its receive loop cuts lines itself (never trusting one read to be one line),
/// finds the payload <c>#L sender seq timestamp</c>, checks that the line carries exactly one <c>&lt;name&gt; </c>
/// prefix and nothing spliced in, and counts per sender, in order. Over TCP it is a raw socket; as a browser member
/// (<see cref="WebSocketPort"/>) it is System.Net's <see cref="ClientWebSocket"/> on <c>/ws</c>: one text frame in may
/// hold several lines (separated by LF), one frame out per write (the room splits it into lines as it does a TCP read).
/// </summary>
internal sealed class LoadClient : IDisposable
{
    /// <summary>Connections opened at once: small, because ncat listens with a short backlog and a full backlog
    /// silently drops handshakes (the client believes it is connected; the server never accepts it).</summary>
    private const int ConnectBatch = 8;

    private static long s_allLines;

    private static ReadOnlySpan<byte> Marker => "#L "u8;

    private readonly long[] _received;
    private readonly long[] _next;
    private readonly long[] _arrivedCorrupt;
    private readonly TaskCompletionSource _firstLine = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _receiving = Task.CompletedTask;

    private readonly WebSocket? _webSocket;

    private LoadClient(Socket? socket, WebSocket? webSocket, int index, int senders)
    {
        Socket = socket;
        _webSocket = webSocket;
        Index = index;
        _received = new long[senders];
        _next = new long[senders];
        _arrivedCorrupt = new long[senders];
    }

    /// <summary>The TCP socket (null for a WebSocket client).</summary>
    public Socket? Socket { get; }

    /// <summary>When set, clients join through the browser room's WebSocket on this port instead of the TCP port.</summary>
    public static int WebSocketPort { get; set; }

    public int Index { get; }

    public long Corrupt { get; private set; }

    public long OutOfOrder { get; private set; }

    public long Lines { get; private set; }

    public bool Closed => _receiving.IsCompleted;

    public Task FirstLine => _firstLine.Task;

    /// <summary>Lines from <paramref name="sender"/> that arrived intact.</summary>
    public long ReceivedFrom(int sender) => Volatile.Read(ref _received[sender]);

    /// <summary>Lines from <paramref name="sender"/> that arrived, intact or with a broken prefix (for flow control).</summary>
    public long ArrivedFrom(int sender) => Volatile.Read(ref _received[sender]) + Volatile.Read(ref _arrivedCorrupt[sender]);

    /// <summary>Whether relayed lines must carry one <c>&lt;name&gt; </c> prefix; the C floor broker adds none.</summary>
    public static bool ExpectPrefix { get; set; } = true;

    /// <summary>Lines seen so far by all clients, to tell when a room has gone quiet.</summary>
    public static long AllLines => Interlocked.Read(ref s_allLines);

    /// <summary>Whether clients are datagram peers: each line sent is one datagram, each datagram received holds whole lines.</summary>
    public static bool Udp { get; set; }

    public static async Task<LoadClient?> ConnectAsync(int port, int index, int senders, Histogram? latencies)
    {
        if (WebSocketPort > 0)
        {
            return await ConnectWebSocketAsync(index, senders, latencies);
        }

        Socket socket = Udp
            ? new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 1 << 20 }
            : new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
            if (Udp)
            {
                // UDP has no handshake: a peer joins by sending, and is answered in full once it has sent twice
                // (the server's amplification limit). Empty datagrams say nothing to the room.
                await socket.SendAsync(Array.Empty<byte>(), SocketFlags.None);
                await socket.SendAsync(Array.Empty<byte>(), SocketFlags.None);
            }
        }
        catch (SocketException)
        {
            socket.Dispose();
            return null;
        }

        var client = new LoadClient(socket, null, index, senders);
        client._receiving = Task.Run(() => client.ReceiveAsync(latencies));
        return client;
    }

    private static async Task<LoadClient?> ConnectWebSocketAsync(int index, int senders, Histogram? latencies)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero; // The server pings; its pongs are answered by the receive loop.
        try
        {
            await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{WebSocketPort}/ws"), CancellationToken.None);
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException)
        {
            socket.Dispose();
            return null;
        }

        var client = new LoadClient(null, socket, index, senders);
        client._receiving = Task.Run(() => client.ReceiveMessagesAsync(socket, latencies));
        return client;
    }

    /// <summary>Sends <paramref name="lines"/> (each ending with LF) in one write, or one text frame; false (counted) when refused.</summary>
    public async ValueTask<bool> SendAsync(byte[] lines)
    {
        try
        {
            if (_webSocket is { } web)
            {
                await web.SendAsync(lines.AsMemory(0, lines.Length - 1), WebSocketMessageType.Text, true, CancellationToken.None);
                return true;
            }

            int done = 0;
            while (done < lines.Length) done += Socket!.Send(lines, done, lines.Length - done, SocketFlags.None);
            return true;
        }
        catch (Exception e) when (e is SocketException or WebSocketException or ObjectDisposedException)
        {
            Console.Error.WriteLine($"send failed: {e.Message}");
            return false;
        }
    }

    /// <summary>Connects <paramref name="count"/> clients, a few at a time so the listen backlog never overflows.</summary>
    public static Task<List<LoadClient>> ConnectManyAsync(int port, int count, int senders, Histogram? latencies, int firstIndex = 0) =>
        ConnectManyAsync([port], count, senders, latencies, firstIndex);

    /// <summary>As above, client i on <paramref name="ports"/>[i modulo their count] (the servers of one room).</summary>
    public static async Task<List<LoadClient>> ConnectManyAsync(int[] ports, int count, int senders, Histogram? latencies, int firstIndex = 0)
    {
        var clients = new List<LoadClient>(count);
        for (int start = 0; start < count; start += ConnectBatch)
        {
            LoadClient?[] batch = await Task.WhenAll(Enumerable.Range(start, Math.Min(ConnectBatch, count - start))
                .Select(i => ConnectAsync(ports[(firstIndex + i) % ports.Length], firstIndex + i, senders, latencies)));
            clients.AddRange(batch.OfType<LoadClient>());
        }

        return clients;
    }

    public void Dispose()
    {
        Socket?.Dispose();
        _webSocket?.Dispose();
    }

    /// <summary>The WebSocket side: each text message is one or more lines (no LF after the last).</summary>
    private async Task ReceiveMessagesAsync(WebSocket socket, Histogram? latencies)
    {
        byte[] buffer = new byte[64 * 1024];
        int kept = 0;
        try
        {
            while (true)
            {
                if (kept == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                ValueWebSocketReceiveResult result = await socket.ReceiveAsync(buffer.AsMemory(kept), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close) return;
                kept += result.Count;
                if (!result.EndOfMessage) continue;
                int start = 0;
                for (int lf; (lf = buffer.AsSpan(start, kept - start).IndexOf((byte)'\n')) >= 0; start += lf + 1)
                {
                    OnLine(buffer.AsSpan(start, lf), latencies);
                }

                OnLine(buffer.AsSpan(start, kept - start), latencies);
                kept = 0;
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Closed by the server (cut off), or by us.
        }
        finally
        {
            _firstLine.TrySetResult();
        }
    }

    private async Task ReceiveAsync(Histogram? latencies)
    {
        byte[] buffer = new byte[64 * 1024];
        int kept = 0;
        try
        {
            while (true)
            {
                if (kept == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                // Over UDP one receive is one datagram of whole lines, and an empty one is the server's hang-up.
                int read = await Socket!.ReceiveAsync(buffer.AsMemory(kept), SocketFlags.None);
                if (read == 0) return;
                int end = kept + read, start = 0;
                for (int lf; (lf = buffer.AsSpan(start, end - start).IndexOf((byte)'\n')) >= 0; start += lf + 1)
                {
                    OnLine(buffer.AsSpan(start, lf), latencies);
                }

                kept = end - start;
                buffer.AsSpan(start, kept).CopyTo(buffer);
            }
        }
        catch (SocketException)
        {
            // Reset by the server: the client is closed.
        }
        catch (ObjectDisposedException)
        {
            // We closed it.
        }
        finally
        {
            _firstLine.TrySetResult();
        }
    }

    private void OnLine(ReadOnlySpan<byte> line, Histogram? latencies)
    {
        Lines++;
        Interlocked.Increment(ref s_allLines);
        _firstLine.TrySetResult();
        int at = line.IndexOf(Marker);
        if (at < 0) return;

        ReadOnlySpan<byte> payload = line[(at + Marker.Length)..];
        if (payload.IndexOf((byte)'<') >= 0 || !TryParse(payload, out int sender, out long seq, out long stamp) || sender >= _received.Length)
        {
            Corrupt++; // Spliced: another prefix landed inside the line. Its sender cannot be trusted.
            return;
        }

        // A line whose prefix is missing or doubled arrived, but corrupted: it is counted apart, not as lost.
        if (!HasOnePrefix(line[..at]))
        {
            Corrupt++;
            Volatile.Write(ref _arrivedCorrupt[sender], _arrivedCorrupt[sender] + 1);
        }
        else
        {
            Volatile.Write(ref _received[sender], _received[sender] + 1);
            latencies?.Add(Stopwatch.GetElapsedTime(stamp).TotalMicroseconds);
        }

        if (seq != _next[sender]) OutOfOrder++;
        _next[sender] = seq + 1;
    }

    /// <summary>Exactly <c>&lt;name&gt; </c>: what ncat and marcel both put before a relayed line.</summary>
    private static bool HasOnePrefix(ReadOnlySpan<byte> prefix) => !ExpectPrefix ? prefix.IsEmpty :
        prefix.Length >= 4 && prefix[0] == '<' && prefix[^2] == '>' && prefix[^1] == ' ' && prefix[1..^2].IndexOfAny("<> "u8) < 0;

    private static bool TryParse(ReadOnlySpan<byte> payload, out int sender, out long seq, out long stamp)
    {
        seq = stamp = 0;
        if (!Utf8Parser.TryParse(payload, out sender, out int used) || used >= payload.Length || payload[used] != ' ') return false;
        payload = payload[(used + 1)..];
        if (!Utf8Parser.TryParse(payload, out seq, out used) || used >= payload.Length || payload[used] != ' ') return false;
        payload = payload[(used + 1)..];
        return Utf8Parser.TryParse(payload, out stamp, out used) && used == payload.TrimEnd((byte)'\r').Length;
    }
}
