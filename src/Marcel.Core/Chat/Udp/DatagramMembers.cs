using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Marcel.Core.Chat.Events;
using Marcel.Core.Chat.Members;
using Marcel.Core.Chat.Room;
using Marcel.Core.Framing;
using Marcel.Core.Hosting;
using Marcel.Core.Resources;
using Marcel.Core.Transport;

namespace Marcel.Core.Chat.Udp;

/// <summary>
/// The room's datagram members (<c>marcel serve --chat --udp</c>, or <c>--udp-port</c> beside TCP): an address that
/// sends anything joins (an empty first datagram says nothing to the room), each datagram's lines are said or obeyed
/// as a TCP member's would be, and a member leaves with <c>/quit</c> or <c>FIN</c>, when dismissed, or after
/// <see cref="IdleTimeout"/> without a datagram (UDP has no hang-up), and is told so, then sent an empty datagram.
/// One IP address has at most <see cref="ChatOptions.MaxDatagramMembersPerAddress"/> members, whatever their ports, and
/// its joins are rate-limited (<see cref="JoinInterval"/>); a refused newcomer gets at most one short answer
/// (<see cref="TurnAwayLimiter"/>). One receive loop per socket handles its datagrams in arrival order.
/// </summary>
public sealed class DatagramMembers : IDatagramHandler, IAsyncDisposable
{
    private readonly ChatRoom _room;
    private readonly DatagramReceiver _receiver;
    private readonly int _maxDatagramBytes;
    private readonly DatagramWireFormat _format;
    private readonly TurnAwayLimiter _turnAway;
    private readonly AddressQuota _quota;
    private readonly ConcurrentDictionary<IPEndPoint, DatagramMember> _members = new();
    private readonly ConcurrentDictionary<Task, bool> _leaving = new();
    private readonly ITimer? _idleSweep;

    private DatagramMembers(ChatRoom room, IReadOnlyList<DatagramSocket> sockets, TimeSpan? idleTimeout)
    {
        _room = room;
        IdleTimeout = idleTimeout;
        _maxDatagramBytes = sockets[0].Options.MaxDatagramBytes;
        _format = new DatagramWireFormat(room.Options.Lines.Ending, _maxDatagramBytes);
        _turnAway = new TurnAwayLimiter(room.Time);
        _quota = new AddressQuota(room.Time, room.Options.MaxDatagramMembersPerAddress, room.Options.MaxClients);
        if (idleTimeout is { } idle)
        {
            TimeSpan period = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, idle.Ticks / 10));
            _idleSweep = room.Time.CreateTimer(_ => SweepIdle(), null, period, period);
        }

        _receiver = new DatagramReceiver(sockets, this);
        _receiver.Start();
    }

    /// <summary>
    /// One more join per address after this interval, once its first <see cref="ChatOptions.MaxDatagramMembersPerAddress"/>
    /// are spent: a person who leaves and comes back waits at most this long; a loop of joins and leaves from one address
    /// is told to the room at this pace at most.
    /// </summary>
    public static readonly TimeSpan JoinInterval = TimeSpan.FromSeconds(10);

    /// <summary>How long a datagram member may stay silent before it is let go; null: forever.</summary>
    public TimeSpan? IdleTimeout { get; }

    /// <summary>The addresses and ports bound.</summary>
    public IReadOnlyList<IPEndPoint> BoundEndPoints => _receiver.BoundEndPoints;

    /// <summary>Datagram members in the room now.</summary>
    public int Count => _members.Count;

    /// <summary>Binds UDP on <paramref name="host"/>:<paramref name="port"/> for <paramref name="room"/> and starts receiving. Throws <see cref="ServerBindException"/>.</summary>
    public static async Task<DatagramMembers> BindAsync(ChatRoom room, string host, int port, DatagramOptions datagrams, TimeSpan? idleTimeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        IReadOnlyList<DatagramSocket> sockets = await DatagramSocket.BindAllAsync(host, port, datagrams, cancellationToken);

        return new DatagramMembers(room, sockets, idleTimeout);
    }

    /// <summary>Waits for the members still leaving, then stops receiving and closes the sockets.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_idleSweep is not null)
        {
            await _idleSweep.DisposeAsync();
        }

        foreach (DatagramMember member in _members.Values)
        {
            member.Dismiss(ChatCloseReason.Shutdown);
        }

        await Task.WhenAll(_leaving.Keys);
        await _receiver.DisposeAsync();
    }

    /// <inheritdoc />
    void IDatagramHandler.Unanswerable(Datagram datagram)
    {
        // Nothing to log per datagram in the room: such sources are forged or broken, and a flood of them would fill the log.
    }

    /// <inheritdoc />
    void IDatagramHandler.ReceiveFailed(IPEndPoint local, Exception failure) => ChatLog.ConnectionFailed(_room.Logger, local, failure);

    /// <inheritdoc />
    ValueTask IDatagramHandler.ReceivedAsync(DatagramSocket socket, Datagram datagram, CancellationToken stopping)
    {
        // The datagram members' copies are sent by this thread (the receive thread) once the room's locks are left,
        // when the handling below returns: no worker is woken per copy (see InlineDrains).
        using InlineDrains.Scope sendHere = InlineDrains.Collect();
        return _members.TryGetValue(datagram.Remote, out DatagramMember? member) && !member.Gone
            ? HandleAsync(member, datagram, stopping)
            : JoinAsync(socket, datagram, stopping);
    }

    private async ValueTask JoinAsync(DatagramSocket socket, Datagram datagram, CancellationToken stopping)
    {
        if (_room.IsStopping)
        {
            return;
        }

        _room.ConnectionOpened();
        if (!_room.Admits(datagram.Remote))
        {
            _room.ConnectionClosed(); // Without a word: a denied address learns nothing about the room.
            return;
        }

        var sender = new DatagramSender(socket, datagram.Remote);
        sender.Received(Size(datagram));
        IPAddress address = datagram.Remote.Address;
        if (!_quota.TryTake(address))
        {
            if (Refuse(sender, string.Format(CultureInfo.CurrentCulture, DatagramStrings.TooManyJoins, _quota.Max, JoinInterval.TotalSeconds)))
            {
                // Shown and logged only when answered: a flood of refusals would fill the console and the log.
                ChatLog.TooManyJoins(_room.Logger, datagram.Remote, _quota.Max);
                _room.Operator.Happened(string.Format(CultureInfo.CurrentCulture, DatagramStrings.OpTooManyJoins, datagram.Remote, _quota.Max));
            }

            _room.ConnectionClosed();
            return;
        }

        var member = new DatagramMember(_room.NewIdentity(MemberKinds.Udp, datagram.Remote), _format, _room.Options.MaxQueueBytes, _room.Time.GetTimestamp(), sender, OnStopping);
        _members[datagram.Remote] = member;
        JoinOutcome outcome = await _room.JoinAsync(member, stopping);
        if (outcome != JoinOutcome.Joined)
        {
            member.TryLeave();
            _members.TryRemove(new KeyValuePair<IPEndPoint, DatagramMember>(datagram.Remote, member));
            _quota.Release(address);
            Refuse(sender, _room.RefusalLine(outcome));
            member.Dispose();
            _room.ConnectionClosed();
            return;
        }

        await SayAsync(member, datagram);
    }

    /// <summary>Sends <paramref name="line"/> to a refused newcomer unless its address (or everyone) was answered lately; true when sent.</summary>
    private bool Refuse(DatagramSender sender, string line)
    {
        if (!_turnAway.TryAnswer(sender.Remote.Address))
        {
            return false;
        }

        sender.TrySend(DatagramLines.Encode(line, _room.Options.Lines.Ending));
        return true;
    }

    private async ValueTask HandleAsync(DatagramMember member, Datagram datagram, CancellationToken stopping)
    {
        member.Heard(_room.Time.GetTimestamp());
        member.Sender.Received(Size(datagram));
        await SayAsync(member, datagram);
    }

    /// <summary>The datagram's lines, as a TCP member's read: messages said as one batch, commands obeyed in their place.</summary>
    private async ValueTask SayAsync(DatagramMember member, Datagram datagram)
    {
        if (datagram.TooLong)
        {
            _room.Tell(member, [string.Format(CultureInfo.CurrentCulture, DatagramStrings.DatagramTooLongNotice, _maxDatagramBytes)]);
            return;
        }

        var batch = new SaidBatch();
        try
        {
            ReadOnlyMemory<byte> rest = datagram.Payload;
            while (!rest.IsEmpty)
            {
                int lineFeed = rest.Span.IndexOf((byte)'\n');
                ReadOnlySpan<byte> line = lineFeed < 0 ? rest.Span : rest.Span[..lineFeed];
                line = line.EndsWith("\r"u8) ? line[..^1] : line;
                rest = lineFeed < 0 ? ReadOnlyMemory<byte>.Empty : rest[(lineFeed + 1)..];
                if (!batch.Add(line, out ChatCommand command))
                {
                    continue;
                }

                _room.Say(member, batch);
                if (!await _room.ObeyAsync(member, command))
                {
                    Track(LeaveAsync(member, ChatCloseReason.Quit));
                    return;
                }
            }

            _room.Say(member, batch);
        }
        finally
        {
            batch.Release();
        }
    }

    /// <summary>The room asked the member to leave (kick, idle, overflow, shutdown): from under its locks, so the leave runs apart.</summary>
    private void OnStopping(DatagramMember member, ChatCloseReason reason) => Track(Task.Run(() => LeaveAsync(member, reason)));

    private async Task LeaveAsync(DatagramMember member, ChatCloseReason reason)
    {
        if (!member.TryLeave())
        {
            return;
        }

        _members.TryRemove(new KeyValuePair<IPEndPoint, DatagramMember>(member.Remote, member));
        _quota.Release(member.Remote.Address); // Out of the table: its address may seat another.
        try
        {
            Delivery? last = await _room.LeaveAsync(member, reason);
            if (reason == ChatCloseReason.Idle && IdleTimeout is { } idle)
            {
                last = new Delivery(PrivateReply.Of(string.Format(CultureInfo.CurrentCulture, ChatStrings.IdleNotice, idle.TotalSeconds)));
            }

            if (reason != ChatCloseReason.Overflow)
            {
                Task drained = member.CloseAsync(last);
                if (await Task.WhenAny(drained, Task.Delay(_room.Options.ShutdownGrace, _room.Time)) == drained)
                {
                    // UDP has no hang-up: an empty datagram after the last line is ours (marcel connect --udp ends on it).
                    member.Sender.TrySend(ReadOnlyMemory<byte>.Empty);
                }
                else
                {
                    member.Discard();
                }
            }
        }
        finally
        {
            member.Dispose();
            _room.ConnectionClosed();
        }
    }

    private void SweepIdle()
    {
        TimeSpan idle = IdleTimeout.GetValueOrDefault();
        foreach (DatagramMember member in _members.Values)
        {
            if (_room.Time.GetElapsedTime(member.LastHeard) >= idle)
            {
                member.Dismiss(ChatCloseReason.Idle);
            }
        }
    }

    private void Track(Task leaving)
    {
        _leaving[leaving] = true;
        _ = leaving.ContinueWith(t => _leaving.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private int Size(Datagram datagram) => datagram.TooLong ? _maxDatagramBytes + 1 : datagram.Payload.Length;
}
