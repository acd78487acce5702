using System.Net;
using System.Net.Sockets;
using Marcel.Core.Framing;
using Marcel.Core.Hosting;
using Marcel.Core.Resources;
using Marcel.Core.Transport;
using Microsoft.Extensions.Logging;

namespace Marcel.Core.Dialogue;

/// <summary>
/// The dialogue's clients over UDP: the first address to send a datagram while no conversation is on becomes the
/// conversation (taken by the server's next <see cref="NextAsync"/> if it was not yet waiting); everyone else meanwhile gets one short "busy, try later" answer, rate-limited by
/// <see cref="TurnAwayLimiter"/>. Datagrams nobody can be answered at (port 0, broadcast or multicast sources, or
/// sent to a group address) are dropped without a word.
/// </summary>
public sealed class DatagramConversations : IConversationSource, IDatagramHandler, IAsyncDisposable
{
    private readonly DatagramReceiver _receiver;
    private readonly LineEnding _ending;
    private readonly TimeSpan? _idleTimeout;
    private readonly IDialogueOperator _operator;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly TurnAwayLimiter _turnAway;
    private readonly Lock _lock = new();
    private TaskCompletionSource<IConversationPeer>? _waitingForPeer;
    private DatagramPeer? _current;

    // A conversation started while the server was not yet asking for one (just started, or between two): the next
    // NextAsync takes it. Turning that datagram away as "busy" would be a lie: nobody else is talking.
    private DatagramPeer? _unclaimed;

    private DatagramConversations(IReadOnlyList<DatagramSocket> sockets, LineEnding ending, TimeSpan? idleTimeout, IDialogueOperator console, ILogger logger, TimeProvider time)
    {
        _ending = ending;
        _idleTimeout = idleTimeout;
        _operator = console;
        _logger = logger;
        _time = time;
        _turnAway = new TurnAwayLimiter(time);
        _receiver = new DatagramReceiver(sockets, this);
        _receiver.Start();
    }

    /// <summary>The addresses and ports bound.</summary>
    public IReadOnlyList<IPEndPoint> BoundEndPoints => _receiver.BoundEndPoints;

    /// <summary>
    /// Binds UDP on <paramref name="host"/>:<paramref name="port"/> (as <see cref="ListenAddress.ResolveAsync"/> reads it) and
    /// starts receiving. A conversation ends after <paramref name="idleTimeout"/> without a datagram (null: never).
    /// Throws <see cref="ServerBindException"/>.
    /// </summary>
    public static async Task<DatagramConversations> BindAsync(
        string host, int port, DatagramOptions datagrams, LineEnding ending, TimeSpan? idleTimeout,
        IDialogueOperator console, ILogger logger, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(logger);
        IReadOnlyList<DatagramSocket> sockets = await DatagramSocket.BindAllAsync(host, port, datagrams, cancellationToken);

        return new DatagramConversations(sockets, ending, idleTimeout, console, logger, time ?? TimeProvider.System);
    }

    /// <summary>Waits for the next address to send a datagram.</summary>
    public ValueTask<IConversationPeer> NextAsync(CancellationToken cancellationToken)
    {
        var next = new TaskCompletionSource<IConversationPeer>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_unclaimed is { } ready)
            {
                _unclaimed = null;
                return new ValueTask<IConversationPeer>(ready);
            }

            _waitingForPeer = next;
        }

        return new ValueTask<IConversationPeer>(next.Task.WaitAsync(cancellationToken));
    }

    /// <summary>The conversation is over: the next datagram from anyone may start a new one once the server waits again.</summary>
    public void Finished(IConversationPeer peer)
    {
        lock (_lock)
        {
            if (ReferenceEquals(_current, peer))
            {
                _current = null;
            }
        }
    }

    /// <summary>UDP has no waiting line: nobody is dropped.</summary>
    public int DropWaiting() => 0;

    /// <summary>Stops receiving and closes the sockets.</summary>
    public ValueTask DisposeAsync() => _receiver.DisposeAsync();

    /// <inheritdoc />
    void IDatagramHandler.Unanswerable(Datagram datagram) => DatagramLog.Unanswerable(_logger, datagram.Remote);

    /// <inheritdoc />
    void IDatagramHandler.ReceiveFailed(IPEndPoint local, Exception failure) => DatagramLog.ReceiveFailed(_logger, local, failure);

    /// <inheritdoc />
    async ValueTask IDatagramHandler.ReceivedAsync(DatagramSocket socket, Datagram datagram, CancellationToken stopping)
    {
        DatagramPeer? peer;
        lock (_lock)
        {
            peer = _current;
            if (peer is { IsClosed: true } && !peer.Remote.Equals(datagram.Remote))
            {
                // Its goodbye is sent: nobody else is talking, though the server may not have said Finished yet (seen
                // in CI as a "busy" to the next client, the moment after the last one was told goodbye). Its own late
                // datagrams are still dropped below, as before.
                peer = _current = null;
            }

            if (peer is null)
            {
                peer = _current = new DatagramPeer(socket, datagram.Remote, _ending, _idleTimeout, _time, _logger);
                DatagramLog.PeerStarted(_logger, datagram.Remote);
                if (_waitingForPeer is { } waiting)
                {
                    _waitingForPeer = null;
                    waiting.TrySetResult(peer);
                }
                else
                {
                    _unclaimed = peer;
                }
            }
        }

        if (peer is not null && peer.Remote.Equals(datagram.Remote))
        {
            await peer.DeliverAsync(datagram, stopping);
            return;
        }

        bool answered = _turnAway.TryAnswer(datagram.Remote.Address);
        DatagramLog.TurnedAway(_logger, datagram.Remote, answered);
        if (answered)
        {
            _operator.ClientTurnedAway(datagram.Remote);
            socket.TrySendTo(DatagramLines.Encode(DatagramStrings.BusyAnswer, _ending), datagram.Remote);
        }
    }
}
