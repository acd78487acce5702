using System.Globalization;
using System.Net;
using System.Threading.Channels;
using Marcel.Core.Framing;
using Marcel.Core.Resources;
using Marcel.Core.Transport;
using Microsoft.Extensions.Logging;

namespace Marcel.Core.Dialogue;

/// <summary>
/// A dialogue client that speaks in datagrams: each datagram it sends holds whole lines, each message we send is one
/// datagram. It cannot hang up, so it leaves by <c>FIN</c> or by silence (the idle timeout). What we send it obeys the
/// <see cref="AmplificationLimit"/>: until its second datagram, what exceeds the limit waits, and is dropped if that
/// datagram never comes.
/// </summary>
internal sealed class DatagramPeer : IConversationPeer
{
    private const int MaxInboxLines = 256;

    private readonly DatagramSocket _socket;
    private readonly DatagramSender _sender;
    private readonly LineEnding _ending;
    private readonly TimeSpan? _idleTimeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<string> _inbox = Channel.CreateBounded<string>(new BoundedChannelOptions(MaxInboxLines) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private volatile bool _closed;
    private long _lastHeard;

    public DatagramPeer(DatagramSocket socket, IPEndPoint remote, LineEnding ending, TimeSpan? idleTimeout, TimeProvider time, ILogger logger)
    {
        _socket = socket;
        _sender = new DatagramSender(socket, remote);
        Remote = remote;
        _ending = ending;
        _idleTimeout = idleTimeout;
        _time = time;
        _logger = logger;
        _lastHeard = time.GetTimestamp();
    }

    public IPEndPoint Remote { get; }

    /// <summary>True once its goodbye was sent (or it was aborted): the conversation is over on the wire.</summary>
    public bool IsClosed => _closed;

    public EndPoint? RemoteEndPoint => Remote;

    public string Id => "udp:" + Remote;

    public ConversationEnd EndOfStreamReason { get; private set; } = ConversationEnd.ClientHungUp;

    public int? MaxMessageBytes => _socket.Options.MaxDatagramBytes;

    /// <summary>Bytes sent to this peer before it had shown that it receives.</summary>
    public long UnverifiedBytesSent => _sender.UnverifiedBytesSent;

    /// <summary>Takes a datagram from this peer: its lines go to the conversation; a datagram over the maximum is refused with a notice.</summary>
    public async ValueTask DeliverAsync(Datagram datagram, CancellationToken cancellationToken)
    {
        if (_closed)
        {
            return;
        }

        Interlocked.Exchange(ref _lastHeard, _time.GetTimestamp());
        _sender.Received(datagram.TooLong ? _socket.Options.MaxDatagramBytes + 1 : datagram.Payload.Length);
        if (datagram.TooLong)
        {
            DatagramLog.DatagramTooLong(_logger, Remote, _socket.Options.MaxDatagramBytes);
            await SendAsync(string.Format(CultureInfo.CurrentCulture, DatagramStrings.DatagramTooLongNotice, _socket.Options.MaxDatagramBytes), cancellationToken);
        }
        else
        {
            foreach (string line in DatagramLines.Split(datagram.Payload.Span))
            {
                _inbox.Writer.TryWrite(line); // At most once: past the bound a line is lost, as a datagram may be.
            }
        }

    }

    public async ValueTask<LineReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (_inbox.Reader.TryRead(out string? line))
            {
                return LineReadResult.FromText(line);
            }

            // Silence counts from the last datagram heard, not from this call: a datagram that brought no line
            // (an empty one) still says the peer is there.
            TimeSpan left = _idleTimeout is { } idle ? idle - _time.GetElapsedTime(Interlocked.Read(ref _lastHeard)) : Timeout.InfiniteTimeSpan;
            if (_idleTimeout is not null && left <= TimeSpan.Zero)
            {
                EndOfStreamReason = ConversationEnd.ClientSilent;
                return LineReadResult.End;
            }

            using var silence = new CancellationTokenSource(left, _time);
            if (_idleTimeout is { } limit && _time.GetElapsedTime(Interlocked.Read(ref _lastHeard)) >= limit)
            {
                // The clock moved past the limit between reading it and starting the timer, which would then wait a
                // whole 'left' more (a test's fake clock jumps; a real one moves by microseconds here).
                EndOfStreamReason = ConversationEnd.ClientSilent;
                return LineReadResult.End;
            }

            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, silence.Token);
            try
            {
                if (!await _inbox.Reader.WaitToReadAsync(wait.Token))
                {
                    return LineReadResult.End;
                }
            }
            catch (OperationCanceledException) when (silence.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // Look again: a datagram may have come just as the time ran out.
            }
        }
    }

    public ValueTask<bool> SendAsync(string text, CancellationToken cancellationToken = default) =>
        SendPayloadAsync(DatagramLines.Encode(text, _ending));

    /// <summary>The last words, then an empty datagram: the nearest UDP has to a hang-up (<c>marcel connect --udp</c> ends on it).</summary>
    public async ValueTask CloseAsync(string lastWords, bool drainInput)
    {
        await SendAsync(lastWords, CancellationToken.None);
        await SendPayloadAsync([]);
        Abort();
    }

    public void Abort()
    {
        _closed = true;
        _inbox.Writer.TryComplete();
    }

    private ValueTask<bool> SendPayloadAsync(byte[] payload) =>
        // Never cut: the conversation checks replies first, and our own notices always fit.
        ValueTask.FromResult(payload.Length <= _socket.Options.MaxDatagramBytes && _sender.TrySend(payload));
}
