using System.Globalization;
using System.Net;
using Marcel.Core.Chat.Bus;
using Marcel.Core.Chat.Events;
using Marcel.Core.Chat.Members;
using Marcel.Core.Chat.Notices;
using Marcel.Core.Chat.Roster;
using Marcel.Core.Resources;
using Microsoft.Extensions.Logging;

namespace Marcel.Core.Chat.Room;

/// <summary>
/// The room itself, whatever its members' kinds and however many servers it spans: it takes events (a member said
/// lines, joined, left, was renamed; the operator said something) and hands them to the local members through their
/// queues. It knows nothing of sockets: each kind of client is an adapter (<see cref="IRoomMember"/>), names live in
/// an <see cref="IRoster"/>, and events travel on an <see cref="IRoomBus"/>. Commands are carried out here, once for
/// every kind of member.
/// </summary>
/// <remarks>
/// Lock order (see docs/design.md): <see cref="FanOut"/>'s order lock (lines read side, notices write side), then a member's queue lock;
/// <see cref="LocalMembers"/>, the roster and the notice window each lock alone, never while taking another. Nothing
/// is sent under any of them: a queue only schedules its member's drain on the thread pool.
/// </remarks>
public sealed class ChatRoom : IRoomEventSink, IDisposable
{
    private readonly LocalMembers _members = new();
    private readonly FanOut _fanOut;
    private readonly TaskCompletionSource _allGone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger _logger;
    private long _lastId;
    private int _connections;
    private volatile bool _stopping;

    /// <summary>A room with <paramref name="options"/>, reporting to <paramref name="console"/>; local roster and bus unless given.</summary>
    public ChatRoom(ChatOptions options, IChatOperator console, ILogger logger, TimeProvider? time = null, IRoster? roster = null, IRoomBus? bus = null)
    {
        Options = (options ?? throw new ArgumentNullException(nameof(options))).Validate();
        Operator = console ?? throw new ArgumentNullException(nameof(console));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        Time = time ?? TimeProvider.System;
        Roster = roster ?? new LocalRoster();
        Bus = bus ?? new InProcessRoomBus();
        _fanOut = new FanOut(this, _members);
        OperatorIdentity = new MemberIdentity(Bus.Node + "/operator", Options.Name, MemberKinds.Operator, Bus.Node, null);
    }

    /// <summary>The room's options.</summary>
    public ChatOptions Options { get; }

    /// <summary>The room's clock: idle timeout, notice window, shutdown grace.</summary>
    public TimeProvider Time { get; }

    /// <summary>The operator console.</summary>
    public IChatOperator Operator { get; }

    /// <summary>The names in the room.</summary>
    public IRoster Roster { get; }

    /// <summary>Where events travel.</summary>
    public IRoomBus Bus { get; }

    /// <summary>Who the operator's lines come from.</summary>
    public MemberIdentity OperatorIdentity { get; }

    /// <summary>Members connected to this server right now.</summary>
    public int MemberCount => _members.Count;

    /// <summary>Connections open right now on this server, members or not (refused ones until they are closed).</summary>
    public int ConnectionCount => Volatile.Read(ref _connections);

    /// <summary>True once shutdown has begun: no one else is admitted.</summary>
    public bool IsStopping => _stopping;

    internal ILogger Logger => _logger;

    internal LocalMembers Members => _members;

    /// <summary>Joins the room's bus (for a remote bus: connects and subscribes); call once, before the first member joins.</summary>
    public ValueTask StartAsync(CancellationToken cancellationToken = default) => Bus.StartAsync(this, cancellationToken);

    /// <summary>A fresh identity (not yet named) for a newcomer of <paramref name="kind"/> from <paramref name="remote"/>.</summary>
    public MemberIdentity NewIdentity(string kind, EndPoint? remote) =>
        new(Bus.Node + "/" + Interlocked.Increment(ref _lastId).ToString(CultureInfo.InvariantCulture), string.Empty, kind, Bus.Node, remote?.ToString());

    /// <summary>Counts a connection as open (call <see cref="ConnectionClosed"/> when it ends, whatever happened).</summary>
    public void ConnectionOpened() => Interlocked.Increment(ref _connections);

    /// <summary>Counts a connection as ended; the last one at shutdown lets <see cref="RunAsync"/> return.</summary>
    public void ConnectionClosed()
    {
        if (Interlocked.Decrement(ref _connections) == 0 && _stopping)
        {
            _allGone.TrySetResult();
        }
    }

    /// <summary>True when <paramref name="remote"/> may enter (<see cref="ChatOptions.Access"/>); a refusal is logged and shown.</summary>
    public bool Admits(EndPoint? remote)
    {
        if (Options.Access.Admits(remote))
        {
            return true;
        }

        ChatLog.Denied(_logger, remote);
        Operator.Happened(RoomText.Format(ChatStrings.OpDenied, remote));
        return false;
    }

    /// <summary>
    /// Seats <paramref name="member"/>: a free name from the roster, the greeting and who is here queued to it, then
    /// a place in the room and the announcement. Nothing is sent under a lock; the member's drain starts on its own.
    /// </summary>
    public async ValueTask<JoinOutcome> JoinAsync(IRoomMember member, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(member);
        if (_stopping)
        {
            return JoinOutcome.Stopping;
        }

        if (!_members.TryReserve(Options.MaxClients))
        {
            ChatLog.RoomFull(_logger, member.Identity.Remote, Options.MaxClients);
            Operator.Happened(RoomText.Format(ChatStrings.OpFull, member.Identity.Remote, Options.MaxClients));
            return JoinOutcome.Full;
        }

        bool settled = false; // The reservation was turned into a seat or given back.
        try
        {
            RosterPage others = await Roster.ListAsync(Options.NamesShown, cancellationToken);
            member.Identity = await Roster.AddAsync(member.Identity, cancellationToken);
            var welcome = new List<string>(3);
            if (Options.Greeting is { Length: > 0 } greeting)
            {
                welcome.Add(greeting);
            }

            welcome.Add(RoomText.Format(ChatStrings.Welcome, Options.Name, member.Identity.Name));
            welcome.Add(RoomText.WhoIsHere(others, Options.NamesShown));
            member.TryDeliver(new Delivery(new PrivateReply(welcome)));
            // Seated atomically against ShutdownAsync's list: a flag read here could say "running" while shutdown lists
            // the members before this one sits down, and it would never be dismissed (no goodbye, cut off at the end).
            settled = true;
            if (!_members.Seat(member))
            {
                await Roster.RemoveAsync(member.Identity, cancellationToken);
                return JoinOutcome.Stopping;
            }
        }
        finally
        {
            if (!settled)
            {
                _members.Seat(null);
            }
        }

        ChatLog.Joined(_logger, member.Identity.Name, member.Identity.Remote);
        Bus.Publish(new MemberJoined(member.Identity));
        return JoinOutcome.Joined;
    }

    /// <summary>The line a refused newcomer is sent before it is closed.</summary>
    public string RefusalLine(JoinOutcome outcome) =>
        outcome == JoinOutcome.Full ? RoomText.Format(ChatStrings.RoomFull, Options.MaxClients) : ChatStrings.ShutdownNotice;

    /// <summary>Publishes lines a member said (one batch), and shows them to the operator.</summary>
    public void Say(MemberSaid said)
    {
        ArgumentNullException.ThrowIfNull(said);
        if (_logger.IsEnabled(LogLevel.Trace))
        {
            foreach (string text in said.Texts()) ChatLog.Said(_logger, said.From.Name, text);
        }

        _fanOut.FlushNoticesIfPending(); // So the console too shows "x joined" before x's first line.

        Operator.Traffic(said);
        Bus.Publish(said);
    }

    /// <summary>
    /// Says what <paramref name="batch"/> holds from <paramref name="member"/>, if anything, and empties it: the
    /// adapters' one way to speak. The first time a line of it was not valid UTF-8 the member alone is told (the line
    /// still goes out, with U+FFFD in place of the invalid bytes, as the others see it).
    /// </summary>
    public void Say(IRoomMember member, SaidBatch batch)
    {
        ArgumentNullException.ThrowIfNull(member);
        ArgumentNullException.ThrowIfNull(batch);
        bool repaired = batch.Repaired;
        if (batch.Take(member.Identity) is { } said)
        {
            Say(said);
        }

        if (repaired && member.FirstInvalidUtf8())
        {
            Tell(member, [ChatStrings.InvalidUtf8Notice]);
        }
    }

    /// <summary>
    /// Takes <paramref name="member"/> out of the room, tells the room why (not at shutdown), and returns the last
    /// line to send it, or null. Safe to call twice: only the first call announces.
    /// </summary>
    public async ValueTask<Delivery?> LeaveAsync(IRoomMember member, ChatCloseReason reason)
    {
        ArgumentNullException.ThrowIfNull(member);
        if (_members.Remove(member))
        {
            ChatLog.Left(_logger, member.Identity.Name, reason);
            await Roster.RemoveAsync(member.Identity);
            // Published at shutdown too: the other servers of a room that spans several must hear it (this one does not
            // announce it, see Deliver).
            Bus.Publish(new MemberLeft(member.Identity, reason));
        }

        return RoomText.LastLine(reason, Options) is { } last ? new Delivery(PrivateReply.Of(last)) : null;
    }

    /// <summary>Carries out a member's command, whatever its kind; false when the member leaves.</summary>
    public ValueTask<bool> ObeyAsync(IRoomMember member, ChatCommand command) => MemberCommands.ObeyAsync(this, member, command);

    /// <summary>
    /// Runs the operator's side until <paramref name="stopping"/> fires or the operator says <c>/quit</c> (see
    /// <see cref="OperatorConsole"/>), with the idle sweep; then says goodbye to every member and returns once they
    /// are closed (or the grace ran out).
    /// </summary>
    public async Task RunAsync(IReadOnlyList<IPEndPoint> boundEndPoints, CancellationToken stopping)
    {
        Operator.Listening(boundEndPoints);
        using (IdleSweep.Start(this))
        {
            await OperatorConsole.RunAsync(this, stopping);
        }

        await ShutdownAsync();
    }

    /// <summary>Sends <paramref name="lines"/> to <paramref name="member"/> only (answers to its commands).</summary>
    public void Tell(IRoomMember member, IReadOnlyList<string> lines)
    {
        ArgumentNullException.ThrowIfNull(member);
        if (!member.TryDeliver(new Delivery(new PrivateReply(lines))))
        {
            Overflowed(member);
        }
    }

    /// <inheritdoc />
    public void Deliver(RoomEvent roomEvent)
    {
        switch (roomEvent)
        {
            case MemberSaid said:
                _fanOut.FlushNoticesIfPending(); // So "x joined" reaches everyone before x's first line.
                if (said.From.Node != Bus.Node)
                {
                    Operator.Traffic(said); // This server's own lines were shown when said (Say).
                }

                _fanOut.Lines(new Delivery(roomEvent));
                break;
            case MemberLeft { Reason: ChatCloseReason.Shutdown } left when left.Member.Node == Bus.Node:
                break; // Our own shutdown: the goodbye says it; only the other servers announce it.
            case MemberRenamed renamed when renamed.Member.Node == Bus.Node:
                // A shared roster may rename one of our members itself (its name was taken elsewhere during a split).
                if (_members.Find(renamed.Member.Id) is { } member && member.Identity.Name != renamed.Member.Name)
                {
                    member.Identity = renamed.Member;
                    Tell(member, [RoomText.Format(ChatStrings.YouAreNow, renamed.Member.Name)]);
                }

                _fanOut.Notice(roomEvent);
                break;
            case MemberJoined or MemberLeft or MemberRenamed:
                _fanOut.Notice(roomEvent);
                break;
            case RoomNotice notice:
                // A line a bus words for this server alone ("the room is split"): to the console and every member.
                Operator.Happened(notice.Text);
                _fanOut.Lines(new Delivery(notice));
                break;
            case KickRequested kick when kick.Member.Node == Bus.Node:
                _members.Find(kick.Member.Id)?.Dismiss(ChatCloseReason.Kicked);
                break;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _fanOut.Dispose();
    }

    /// <summary>Stops admitting, tells every member goodbye, and waits (bounded) until every connection has ended.</summary>
    private async Task ShutdownAsync()
    {
        _stopping = true;
        IRoomMember[] members = _members.Close();
        Operator.Happened(members.Length switch
        {
            0 => ChatStrings.OpStoppingNone,
            1 => ChatStrings.OpStoppingOne,
            _ => RoomText.Format(ChatStrings.OpStopping, members.Length),
        });
        foreach (IRoomMember member in members)
        {
            member.Dismiss(ChatCloseReason.Shutdown);
        }

        if (ConnectionCount == 0)
        {
            _allGone.TrySetResult();
        }

        // Each member's own close is bounded by the grace; a little more covers the connections still being refused.
        await Task.WhenAny(_allGone.Task, Task.Delay(Options.ShutdownGrace + TimeSpan.FromMilliseconds(300), Time));
        Operator.Happened(ChatStrings.OpStopped);
    }

    /// <summary>The member could not keep up: it is cut off; its adapter then reports the leave.</summary>
    internal void Overflowed(IRoomMember member)
    {
        ChatLog.Overflow(_logger, member.Identity.Name, Options.MaxQueueBytes);
        member.Dismiss(ChatCloseReason.Overflow);
    }
}
