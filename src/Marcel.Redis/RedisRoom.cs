using System.Globalization;
using System.Security.Cryptography;
using Marcel.Core.Chat.Bus;
using Marcel.Core.Chat.Events;
using Marcel.Core.Chat.Roster;
using Marcel.Redis.Resources;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Marcel.Redis;

/// <summary>
/// One server's share of a room that spans several servers through one Redis: the room's bus
/// (<see cref="IRoomBus"/>: one PUBLISH per event, see <see cref="RedisEventChannel"/>) and its roster
/// (<see cref="IRoster"/>: names claimed in Redis, see <see cref="RedisPresence"/>), in one object because both read
/// the same mirror of who is in the room. Give it to the chat server as both.
/// </summary>
/// <remarks>
/// While Redis is away the room is split: this server's members keep talking among themselves (told once, and told
/// again when the room is whole), what they say reaches this server only (at-most-once, like Redis pub/sub itself),
/// names are checked against what this server last knew, and nothing is queued for later. A heartbeat every
/// <see cref="RedisRoomOptions.Heartbeat"/> refreshes this server's presence, reaps servers whose presence expired
/// (their members are announced gone), and joins the room again once Redis answers.
/// </remarks>
public sealed partial class RedisRoom : IRoomBus, IRoster
{
    private readonly RedisRoomOptions _options;
    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKeys _keys;
    private readonly string _instance;
    private readonly RedisPresence _presence;
    private readonly RedisEventChannel _channel;
    private readonly RedisEventCodec _codec = new();
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly SplitNotice _splitNotice;
    private readonly SubscriptionDrops _drops = new();
    private IRoomEventSink? _sink;
    private Task _heartbeats = Task.CompletedTask;
    private bool _subscribed;
    private bool _reloadNext;

    private RedisRoom(RedisRoomOptions options, IConnectionMultiplexer redis, ILogger logger, TimeProvider time)
    {
        _options = options;
        _redis = redis;
        _logger = logger;
        _time = time;
        _keys = new RedisKeys(options.Prefix);
        _instance = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        Node = options.NodeName ?? "node-" + _instance;
        _nameTag = NameTag(Node);
        _splitNotice = new SplitNotice(Tell);
        _presence = new RedisPresence(redis, _keys, Node, _instance, options.PresenceTtl);
        _channel = new RedisEventChannel(redis, _keys.Events, _instance, options.MaxPendingPublishes, logger, Received);
        redis.ConnectionFailed += OnConnectionFailed;
        redis.ConnectionRestored += OnConnectionRestored;
    }

    /// <inheritdoc />
    public string Node { get; }

    /// <inheritdoc />
    public bool SpansServers => true;

    /// <summary>Address of the room's Redis, as messages name it.</summary>
    public RedisAddress Address => _options.Address;

    /// <summary>True while Redis is away: this server's members only hear each other.</summary>
    public bool IsSplit => _splitNotice.IsSplit;

    /// <summary>Events handed to Redis, dropped (split), received from other servers, duplicates ignored, never arrived.</summary>
    public (long Published, long Dropped, long Received, long Duplicates, long Missed) Counts => _channel.Counts;

    /// <summary>Connects to Redis (see <see cref="RedisConnector.ConnectAsync"/>); the room joins it in <see cref="StartAsync"/>.</summary>
    /// <exception cref="RedisUnavailableException">Redis cannot be reached and <see cref="RedisRoomOptions.StartSplit"/> is off.</exception>
    public static async Task<RedisRoom> ConnectAsync(RedisRoomOptions options, ILoggerFactory logging, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logging);
        options.Validate();
        IConnectionMultiplexer redis = await RedisConnector.ConnectAsync(options, "marcel:" + options.Room, logging).ConfigureAwait(false);
        return new RedisRoom(options, redis, logging.CreateLogger<RedisRoom>(), time ?? TimeProvider.System);
    }

    /// <inheritdoc />
    /// <exception cref="RedisUnavailableException">Another live server of this room goes by <see cref="Node"/>.</exception>
    public async ValueTask StartAsync(IRoomEventSink sink, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if (Interlocked.CompareExchange(ref _sink, sink, null) is not null)
        {
            throw new InvalidOperationException("The bus is already started.");
        }

        _splitNotice.Arm();
        if (_redis.IsConnected)
        {
            // A node restarted after a crash finds its old presence still alive for up to a TTL: wait that long.
            string[] leftovers = await _presence.TakeOverAsync(_options.PresenceTtl + _options.Heartbeat, _options.Heartbeat / 4, cancellationToken).ConfigureAwait(false)
                ?? throw new RedisUnavailableException(string.Format(CultureInfo.CurrentCulture, RedisStrings.NodeTaken, Node, _options.Room, _options.Address));
            await JoinAsync(leftovers).ConfigureAwait(false);
            _splitNotice.Leave();
        }
        else
        {
            _splitNotice.Enter();
        }

        _heartbeats = Task.Run(HeartbeatsAsync, CancellationToken.None);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _heartbeats.ConfigureAwait(false);
        _redis.ConnectionFailed -= OnConnectionFailed;
        _redis.ConnectionRestored -= OnConnectionRestored;
        await _channel.DisposeAsync().ConfigureAwait(false);
        if (_redis.IsConnected)
        {
            try
            {
                // A clean stop frees this node's presence at once rather than after its TTL.
                await _presence.LeaveAsync().ConfigureAwait(false);
            }
            catch (RedisException)
            {
                // Redis went away meanwhile: the presence expires by itself.
            }
        }

        await _redis.CloseAsync().ConfigureAwait(false);
        _redis.Dispose();
        _stopping.Dispose();
        _wake.Dispose();
    }

    /// <summary>Joins (or joins again) the room on Redis: subscribes, loads who is where, registers this server's members.</summary>
    private async Task JoinAsync(string[] leftovers)
    {
        if (!_subscribed)
        {
            await _channel.StartAsync().ConfigureAwait(false);
            _subscribed = true;
        }

        // Members an earlier, crashed instance of this node left behind are gone: the room hears it from us.
        foreach (string payload in leftovers)
        {
            if (Identity(payload) is { } gone)
            {
                Announce(new MemberLeft(gone, Core.Chat.ChatCloseReason.HungUp));
            }
        }

        await ResyncAsync().ConfigureAwait(false);
    }

    private async Task HeartbeatsAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(_options.Heartbeat, _stopping.Token).ConfigureAwait(false);
                await BeatAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
            {
                // Logged once per split: a Redis that hangs fails every beat, each after the command timeout.
                if (_splitNotice.Enter())
                {
                    RedisLog.HeartbeatFailed(_logger, e);
                }
                else
                {
                    RedisLog.StillSplit(_logger, e.GetType().Name);
                }
            }
        }
    }

    private async Task BeatAsync()
    {
        if (!_redis.IsConnected)
        {
            _splitNotice.Enter();
            return;
        }

        BeatResult beat = await _presence.BeatAsync().ConfigureAwait(false);
        if (beat.NameTaken)
        {
            // Our presence expired during a long split and another server took the name: keep serving split.
            RedisLog.NodeNameLost(_logger, Node);
            _splitNotice.Enter();
            return;
        }

        if (_splitNotice.IsSplit || beat.Readded)
        {
            await JoinAsync([]).ConfigureAwait(false);
            _reloadNext = true;
        }
        else if (_reloadNext)
        {
            _reloadNext = false;
            await ReloadAsync().ConfigureAwait(false);
        }

        await RenameLostAsync(beat.LostMembers).ConfigureAwait(false);
        foreach ((string node, string[] members) in await _presence.ReapAsync().ConfigureAwait(false))
        {
            RedisLog.NodeGone(_logger, node, members.Length);
            foreach (string payload in members)
            {
                if (Identity(payload) is { } gone)
                {
                    Announce(new MemberLeft(gone, Core.Chat.ChatCloseReason.HungUp));
                }
            }
        }

        _splitNotice.Leave();
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        _drops.Failed(e.ConnectionType);
        // The client raises this for each connection and each failed reconnection attempt: logged once per split.
        if (_splitNotice.Enter())
        {
            RedisLog.Split(_logger, e.ConnectionType, e.FailureType);
        }
        else
        {
            RedisLog.StillSplit(_logger, e.FailureType.ToString());
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        RedisLog.Restored(_logger, e.ConnectionType);
        if (_drops.Restored(e.ConnectionType))
        {
            // Redis may drop a slow subscriber (client-output-buffer-limit pubsub): say it where the operator looks.
            RedisLog.Resubscribed(_logger);
        }

        try
        {
            _wake.Release(); // Beat now: rejoin without waiting for the next tick.
        }
        catch (SemaphoreFullException)
        {
            // A beat is already due.
        }
        catch (ObjectDisposedException)
        {
            // Stopping.
        }
    }

    /// <summary>A line to this server's members and console (never on the bus: every server says its own).</summary>
    private void Tell(string text) => _sink?.Deliver(new RoomNotice(text, null));
}
