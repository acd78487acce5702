using System.Buffers.Binary;
using System.Text;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Marcel.Redis;

/// <summary>
/// The room's channel on Redis: one PUBLISH per event, each wrapped in an envelope that names the publishing instance
/// and numbers its events (1, 2, 3…). A receiver drops its own echoes (its events were delivered locally already),
/// drops any event whose number it has seen (exactly once), and counts the numbers that never came (lost in a split).
/// Redis's pub/sub keeps one publisher connection's order, and one node publishes in order under a lock, so each
/// node's events arrive in the order they were published.
/// </summary>
/// <remarks>
/// Envelope: <c>[1 byte: format version, <see cref="FormatVersion"/>][1 byte: id length][instance id, ASCII][8 bytes:
/// sequence, big-endian][payload]</c> (the payload is <see cref="RedisEventCodec"/>'s). An envelope of another format
/// (a server of another marcel version on the same room) is refused, said once in the log, never half-read.
/// Nothing is queued while Redis is away: <see cref="TryPublish"/> refuses (at-most-once), and at most
/// <see cref="RedisRoomOptions.MaxPendingPublishes"/> publishes wait for Redis's answer at any time.
/// </remarks>
internal sealed class RedisEventChannel : IAsyncDisposable
{
    /// <summary>
    /// The bus format this server speaks. 1 was the unversioned envelope (lines as JSON), whose first byte is the id
    /// length, 12: never 2.
    /// </summary>
    public const byte FormatVersion = 2;

    private const int MaxInstance = 255;
    private readonly IConnectionMultiplexer _redis;
    private readonly RedisChannel _channel;
    private readonly byte[] _instance;
    private readonly string _instanceText;
    private readonly int _maxPending;
    private readonly ILogger _logger;
    private readonly Action<ReadOnlyMemory<byte>> _onEvent;
    private readonly object _publishOrder = new();
    // Touched only by Receive, one message at a time. One entry per instance ever heard (a few per node restart).
    private readonly Dictionary<string, long> _lastSeen = new(StringComparer.Ordinal);
    private readonly HashSet<byte> _toldFormats = [];
    private readonly Action<Task> _settled;
    private ChannelMessageQueue? _queue;
    private long _sequence;
    private int _pending;
    private long _published;
    private long _dropped;
    private long _received;
    private long _duplicates;
    private long _missed;
    private long _foreign;

    public RedisEventChannel(IConnectionMultiplexer redis, RedisChannel channel, string instance, int maxPending, ILogger logger, Action<ReadOnlyMemory<byte>> onEvent)
    {
        _redis = redis;
        _channel = channel;
        _instanceText = instance;
        _instance = Encoding.ASCII.GetBytes(instance);
        if (_instance.Length is 0 or > MaxInstance) throw new ArgumentException("1 to 255 ASCII characters", nameof(instance));
        _maxPending = maxPending;
        _logger = logger;
        _onEvent = onEvent;
        _settled = task =>
        {
            Interlocked.Decrement(ref _pending);
            if (task.IsFaulted)
            {
                Interlocked.Increment(ref _dropped);
                RedisLog.NotPublished(_logger, task.Exception!.InnerException!.GetType().Name);
            }
        };
    }

    /// <summary>Bytes before the payload in every envelope this channel publishes: what <see cref="TryPublishEnvelope"/> leaves free.</summary>
    public int HeaderLength => 2 + _instance.Length + 8;

    /// <summary>Envelopes of another format refused.</summary>
    public long ForeignFormat => Interlocked.Read(ref _foreign);

    /// <summary>Events published (handed to Redis), dropped (split, or too many waiting), received from other nodes, duplicates ignored, missed.</summary>
    public (long Published, long Dropped, long Received, long Duplicates, long Missed) Counts =>
        (Interlocked.Read(ref _published), Interlocked.Read(ref _dropped), Interlocked.Read(ref _received),
         Interlocked.Read(ref _duplicates), Interlocked.Read(ref _missed));

    /// <summary>Subscribes; StackExchange.Redis subscribes again by itself after every reconnection.</summary>
    public async Task StartAsync()
    {
        ChannelMessageQueue queue = await _redis.GetSubscriber().SubscribeAsync(_channel).ConfigureAwait(false);
        // One handler at a time, in arrival order: what keeps each sender's order.
        queue.OnMessage(Receive);
        _queue = queue;
    }

    /// <summary>Publishes one event (the payload is copied into an envelope at once); see <see cref="TryPublishEnvelope"/>.</summary>
    public bool TryPublish(ReadOnlySpan<byte> payload)
    {
        byte[] envelope = new byte[HeaderLength + payload.Length];
        payload.CopyTo(envelope.AsSpan(HeaderLength));
        return TryPublishEnvelope(envelope);
    }

    /// <summary>
    /// Publishes one event whose payload already sits in <paramref name="envelope"/> after <see cref="HeaderLength"/>
    /// free bytes (this fills them; the array must not be touched afterwards). False when it cannot go now: Redis is
    /// away, or too many publishes wait for it; the event then reached this node only.
    /// </summary>
    public bool TryPublishEnvelope(byte[] envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (!_redis.IsConnected || Volatile.Read(ref _pending) >= _maxPending)
        {
            Interlocked.Increment(ref _dropped);
            return false;
        }

        envelope[0] = FormatVersion;
        envelope[1] = (byte)_instance.Length;
        _instance.CopyTo(envelope, 2);
        ISubscriber subscriber = _redis.GetSubscriber();
        Task<long> sent;
        // The number and the hand-over to the client happen together, so numbers reach Redis in order.
        lock (_publishOrder)
        {
            BinaryPrimitives.WriteInt64BigEndian(envelope.AsSpan(2 + _instance.Length), ++_sequence);
            try
            {
                sent = subscriber.PublishAsync(_channel, envelope);
            }
            catch (RedisException)
            {
                Interlocked.Increment(ref _dropped);
                return false;
            }
        }

        Interlocked.Increment(ref _pending);
        Interlocked.Increment(ref _published);
        sent.ContinueWith(_settled, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return true;
    }

    private void Receive(ChannelMessage message)
    {
        try
        {
            // The client's own copy of the message: the payload handed on is a slice of it, never copied again.
            ReadOnlyMemory<byte> envelope = message.Message;
            ReadOnlySpan<byte> span = envelope.Span;
            if (span.Length < 1 || span[0] != FormatVersion)
            {
                Foreign(span.Length < 1 ? (byte)0 : span[0]);
                return;
            }

            if (span.Length < 11 || span[1] == 0 || span.Length < 2 + span[1] + 8)
            {
                RedisLog.Malformed(_logger);
                return;
            }

            int length = span[1];
            ReadOnlySpan<byte> instance = span.Slice(2, length);
            if (instance.SequenceEqual(_instance))
            {
                return; // Our own echo: delivered locally when it was published.
            }

            long sequence = BinaryPrimitives.ReadInt64BigEndian(span.Slice(2 + length, 8));
            if (!Accept(instance, sequence))
            {
                return;
            }

            Interlocked.Increment(ref _received);
            _onEvent(envelope[(2 + length + 8)..]);
        }
#pragma warning disable CA1031 // One bad event must not end the subscription for the whole room.
        catch (Exception e)
#pragma warning restore CA1031
        {
            RedisLog.HandlerFailed(_logger, e);
        }
    }

    /// <summary>Whether <paramref name="sequence"/> is new from <paramref name="instance"/>; counts duplicates and gaps.</summary>
    private bool Accept(ReadOnlySpan<byte> instance, long sequence)
    {
        // Looked up on chars, so a known instance costs no string per message.
        Span<char> chars = stackalloc char[MaxInstance];
        int written = Encoding.ASCII.GetChars(instance, chars);
        Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> seen = _lastSeen.GetAlternateLookup<ReadOnlySpan<char>>();
        ReadOnlySpan<char> from = chars[..written];
        long last = seen.TryGetValue(from, out long known) ? known : 0;
        if (sequence <= last)
        {
            Interlocked.Increment(ref _duplicates);
            RedisLog.Duplicate(_logger, from.ToString(), sequence);
            return false;
        }

        if (last != 0 && sequence > last + 1)
        {
            Interlocked.Add(ref _missed, sequence - last - 1);
            RedisLog.Gap(_logger, from.ToString(), sequence - last - 1);
        }

        seen[from] = sequence;
        return true;
    }

    /// <summary>An envelope of another format: refused, and said once per format so the log is not flooded.</summary>
    private void Foreign(byte format)
    {
        Interlocked.Increment(ref _foreign);
        if (_toldFormats.Add(format))
        {
            // Format 1 (no version byte) starts with its id length, 12.
            RedisLog.ForeignFormat(_logger, format == 12 ? 1 : format, FormatVersion);
        }
    }

    public override string ToString() => "redis channel " + _channel + " as " + _instanceText;

    public async ValueTask DisposeAsync()
    {
        if (_queue is { } queue)
        {
            try
            {
                await queue.UnsubscribeAsync().ConfigureAwait(false);
            }
            catch (RedisException)
            {
                // Redis is away: the subscription ends with the connection anyway.
            }
        }
    }
}
