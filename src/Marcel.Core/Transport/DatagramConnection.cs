using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Marcel.Core.Framing;

namespace Marcel.Core.Transport;

/// <summary>
/// A client's conversation with one datagram server, as messages: each message sent is one datagram, each datagram
/// received gives its lines. UDP has no close: an empty datagram from the server (what Marcel's servers send after
/// their goodbye) ends the stream, and so does an ICMP "port unreachable" (<see cref="Unreachable"/>: nobody listens).
/// </summary>
public sealed class DatagramConnection : IMessagePeer, IAsyncDisposable
{
    private const int MaxPendingLines = 1024;

    private readonly DatagramSocket _socket;
    private readonly byte[] _ending;
    private readonly Channel<string> _lines = Channel.CreateBounded<string>(new BoundedChannelOptions(MaxPendingLines) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _receiving;
    private int _received;

    /// <summary>Starts receiving on <paramref name="socket"/>, a connected socket; lines we send end with <paramref name="ending"/>.</summary>
    public DatagramConnection(DatagramSocket socket, LineEnding ending)
    {
        _socket = socket ?? throw new ArgumentNullException(nameof(socket));
        _ending = LineEndingBytes.Of(ending).ToArray();
        _receiving = ReceiveAsync();
    }

    /// <summary>Called with the size of each datagram sent (for <c>--verbose</c>).</summary>
    public Action<int>? Sent { get; init; }

    /// <summary>Called with the size of each datagram received; -1 for one over the maximum, which is dropped.</summary>
    public Action<int>? Received { get; init; }

    /// <summary>The server's address and port.</summary>
    public EndPoint? RemoteEndPoint => _socket.RemoteEndPoint;

    /// <summary>The largest datagram, in bytes.</summary>
    public int MaxDatagramBytes => _socket.Options.MaxDatagramBytes;

    /// <summary>True once an ICMP "port unreachable" came back: no server listens at that address.</summary>
    public bool Unreachable { get; private set; }

    /// <summary>Datagrams received so far.</summary>
    public int DatagramsReceived => Volatile.Read(ref _received);

    /// <summary>Bytes <paramref name="text"/> takes as one datagram, ending included.</summary>
    public int ByteCount(string text) => LineFramer.TextEncoding.GetByteCount(text) + _ending.Length;

    /// <inheritdoc/>
    public async ValueTask<LineReadResult> ReadAsync(CancellationToken cancellationToken = default) =>
        await _lines.Reader.WaitToReadAsync(cancellationToken) && _lines.Reader.TryRead(out string? line)
            ? LineReadResult.FromText(line)
            : LineReadResult.End;

    /// <summary>Sends <paramref name="text"/> as one datagram. False when it is over the maximum (nothing is sent) or nobody listens.</summary>
    public async ValueTask<bool> SendAsync(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        int length = ByteCount(text);
        if (length > MaxDatagramBytes || Unreachable)
        {
            return false;
        }

        byte[] payload = new byte[length];
        int written = LineFramer.TextEncoding.GetBytes(text, payload);
        _ending.CopyTo(payload.AsSpan(written));
        try
        {
            await _socket.SendAsync(payload, cancellationToken);
            Sent?.Invoke(length);
            return true;
        }
        catch (SocketException e) when (IsUnreachable(e))
        {
            // The ICMP error of an earlier datagram is reported to whichever call comes next.
            Unreachable = true;
            _lines.Writer.TryComplete();
            return false;
        }
    }

    /// <summary>Stops receiving and closes the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        _socket.Dispose();
        await _receiving;
        _closing.Dispose();
    }

    private async Task ReceiveAsync()
    {
        await Task.Yield();
        try
        {
            while (true)
            {
                (ReadOnlyMemory<byte> payload, bool tooLong) = await _socket.ReceiveAsync(_closing.Token);
                Interlocked.Increment(ref _received);
                Received?.Invoke(tooLong ? -1 : payload.Length);
                if (!tooLong && payload.IsEmpty)
                {
                    return; // The server's hang-up.
                }

                foreach (string line in DatagramLines.Split(payload.Span))
                {
                    _lines.Writer.TryWrite(line);
                }
            }
        }
        catch (SocketException e) when (IsUnreachable(e))
        {
            Unreachable = true;
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Closed by us, or the socket failed: the stream ends either way.
        }
        finally
        {
            _lines.Writer.TryComplete();
        }
    }

    // Linux reports ICMP port unreachable as ECONNREFUSED; Windows as WSAECONNRESET.
    private static bool IsUnreachable(SocketException e) => e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset;
}
