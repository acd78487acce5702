namespace Marcel.Core.Transport;

/// <summary>
/// What we may send to one datagram peer before it has shown that it receives at the address it gives. Anyone can
/// forge a UDP source address; a server that answers a small datagram with a large one turns itself into a reflector
/// that multiplies an attacker's traffic towards the forged address. So, as QUIC does before validating an address
/// (RFC 9000 §8.1), an unverified peer gets at most <see cref="Factor"/> times the bytes it sent, plus
/// <see cref="AllowanceBytes"/> (room for a greeting). A peer counts as verified once it has sent
/// <see cref="DatagramsToVerify"/> datagrams: a person typing a second line. Thread-safe.
/// </summary>
public sealed class AmplificationLimit
{
    /// <summary>An unverified peer gets at most this many times the bytes it sent.</summary>
    public const int Factor = 3;

    /// <summary>Bytes an unverified peer may get on top of <see cref="Factor"/> times what it sent: a greeting or one notice.</summary>
    public const int AllowanceBytes = 128;

    /// <summary>Datagrams after which a peer counts as verified.</summary>
    public const int DatagramsToVerify = 2;

    private readonly Lock _lock = new();
    private long _received;
    private long _sent;
    private int _datagrams;

    /// <summary>True once the peer has sent <see cref="DatagramsToVerify"/> datagrams: no limit applies any more.</summary>
    public bool Verified
    {
        get
        {
            lock (_lock)
            {
                return _datagrams >= DatagramsToVerify;
            }
        }
    }

    /// <summary>Bytes sent to the peer while it was unverified.</summary>
    public long UnverifiedBytesSent
    {
        get
        {
            lock (_lock)
            {
                return _sent;
            }
        }
    }

    /// <summary>Counts a datagram of <paramref name="bytes"/> from the peer; true when this one verified it.</summary>
    public bool Received(int bytes)
    {
        lock (_lock)
        {
            _received += bytes;
            return ++_datagrams == DatagramsToVerify;
        }
    }

    /// <summary>True (and counted) when <paramref name="bytes"/> more may go to the peer now.</summary>
    public bool TrySend(int bytes)
    {
        lock (_lock)
        {
            if (_datagrams >= DatagramsToVerify)
            {
                return true;
            }

            if (_sent + bytes > (Factor * _received) + AllowanceBytes)
            {
                return false;
            }

            _sent += bytes;
            return true;
        }
    }
}
