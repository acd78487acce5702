using System.Net;

namespace Marcel.Core.Transport;

/// <summary>
/// What goes to one datagram peer, under its <see cref="AmplificationLimit"/>: until the peer has shown it receives
/// (its second datagram), what exceeds the limit is held, at most <see cref="MaxHeld"/> datagrams, and sent once it has;
/// if that never happens it is dropped, as a lost datagram would be. Thread-safe; sends on the calling thread
/// (<see cref="DatagramSocket.TrySendTo(ReadOnlySpan{byte}, System.Net.SocketAddress)"/>: a UDP send does not wait).
/// </summary>
public sealed class DatagramSender(DatagramSocket socket, IPEndPoint remote)
{
    /// <summary>Datagrams held for an unverified peer at most; more are dropped.</summary>
    public const int MaxHeld = 16;

    private readonly AmplificationLimit _limit = new();
    private readonly Queue<ReadOnlyMemory<byte>> _held = new();
    private readonly Lock _lock = new();

    // Serialised once: every datagram to this peer reuses it.
    private readonly SocketAddress _address = socket.AddressOf(remote);

    /// <summary>The peer.</summary>
    public IPEndPoint Remote { get; } = remote;

    /// <summary>The socket its datagrams leave from.</summary>
    public DatagramSocket Socket { get; } = socket;

    /// <summary>True once the peer has shown that it receives.</summary>
    public bool Verified => _limit.Verified;

    /// <summary>Bytes sent to the peer while it was unverified.</summary>
    public long UnverifiedBytesSent => _limit.UnverifiedBytesSent;

    /// <summary>Counts a datagram of <paramref name="bytes"/> from the peer; sends what was held when this one verifies it.</summary>
    public void Received(int bytes)
    {
        if (!_limit.Received(bytes))
        {
            return;
        }

        while (true)
        {
            ReadOnlyMemory<byte> next;
            lock (_lock)
            {
                if (!_held.TryDequeue(out next))
                {
                    return;
                }
            }

            Socket.TrySendTo(next.Span, _address);
        }
    }

    /// <summary>
    /// Sends <paramref name="payload"/> (which must not change afterwards: it may be held) now, or holds it while the limit
    /// forbids. True when it was sent or held; false when it was dropped (held queue full, or the system refused it).
    /// </summary>
    public bool TrySend(ReadOnlyMemory<byte> payload)
    {
        lock (_lock)
        {
            if (_held.Count > 0 || !_limit.TrySend(payload.Length))
            {
                if (_held.Count >= MaxHeld)
                {
                    return false;
                }

                _held.Enqueue(payload);
                return true;
            }
        }

        return Socket.TrySendTo(payload.Span, _address);
    }
}
