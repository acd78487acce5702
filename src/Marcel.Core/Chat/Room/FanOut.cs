using System.Buffers;
using Marcel.Core.Chat.Events;
using Marcel.Core.Chat.Members;
using Marcel.Core.Chat.Notices;

namespace Marcel.Core.Chat.Room;

/// <summary>
/// Hands deliveries to the local members, and turns joins, leaves and renames into notices once per window. Lines
/// fan out under the read side of one order lock, many senders at once; notices under its write side, so a notice
/// never overtakes or splits the lines around it ("x joined" is never behind x's first line). Only queueing happens
/// under it, never a send: the drains the deliveries start run once the lock is released, on the thread that delivered
/// (one pass each: a room at a low rate then sends a line on the thread that read it, with no hop to the thread pool).
/// </summary>
internal sealed class FanOut : IDisposable
{
    private readonly ReaderWriterLockSlim _order = new();
    private readonly ChatRoom _room;
    private readonly LocalMembers _members;
    private readonly NoticeWindow _notices;

    public FanOut(ChatRoom room, LocalMembers members)
    {
        _room = room;
        _members = members;
        _notices = new NoticeWindow(room.Time, room.Options.NoticeWindow, FlushNotices);
    }

    /// <summary>Queues <paramref name="delivery"/> (lines) to every local member but the one it excludes.</summary>
    public void Lines(Delivery delivery)
    {
        List<IRoomMember>? overflowed = null;
        var drains = new Drains();
        _order.EnterReadLock();
        try
        {
            Deliver(delivery, ref overflowed, ref drains);
        }
        finally
        {
            _order.ExitReadLock();
        }

        drains.Run();
        HandleOverflows(overflowed);
    }

    /// <summary>Holds a join, leave or rename for the notice window.</summary>
    public void Notice(RoomEvent roomEvent) => _notices.Add(roomEvent);

    /// <summary>Delivers the waiting notices now, if any (before a line, so they come first).</summary>
    public void FlushNoticesIfPending()
    {
        if (_notices.HasPending)
        {
            FlushNotices();
        }
    }

    public void Dispose()
    {
        _notices.Dispose();
        _order.Dispose();
    }

    private void Deliver(Delivery delivery, ref List<IRoomMember>? overflowed, ref Drains drains)
    {
        string? except = delivery.Event.ExceptId;
        IRoomMember[] members = _members.Snapshot();
        foreach (IRoomMember member in members)
        {
            if (except is not null && member.Identity.Id == except)
            {
                continue;
            }

            bool queued;
            if (member is QueuedMember ours)
            {
                queued = ours.TryEnqueue(delivery, out bool startDrain);
                if (startDrain)
                {
                    drains.Add(ours, members.Length);
                }
            }
            else
            {
                queued = member.TryDeliver(delivery);
            }

            if (!queued)
            {
                (overflowed ??= []).Add(member);
            }
        }
    }

    private void HandleOverflows(List<IRoomMember>? overflowed)
    {
        foreach (IRoomMember member in overflowed ?? [])
        {
            _room.Overflowed(member);
        }
    }

    /// <summary>Words and delivers what the notice window holds; taken under the write side so no line slips in between.</summary>
    private void FlushNotices()
    {
        List<IRoomMember>? overflowed = null;
        var drains = new Drains();
        _order.EnterWriteLock();
        try
        {
            RoomEvent[] batch = _notices.Take();
            foreach (RoomNotice notice in batch.Length == 0 ? [] : NoticeCoalescer.Coalesce(batch, _room.Options.NamesShown))
            {
                _room.Operator.Happened(notice.Text);
                if (!_room.IsStopping)
                {
                    Deliver(new Delivery(notice), ref overflowed, ref drains);
                }
            }
        }
        finally
        {
            _order.ExitWriteLock();
        }

        drains.Run();
        HandleOverflows(overflowed);
    }

    /// <summary>The drains a fan-out started, in a pooled array, run once the lock is released.</summary>
    private struct Drains
    {
        private QueuedMember[]? _members;
        private int _count;

        public void Add(QueuedMember member, int expected)
        {
            if (_members is null || _count == _members.Length)
            {
                QueuedMember[] bigger = ArrayPool<QueuedMember>.Shared.Rent(Math.Max(expected, _count * 2));
                _members?.AsSpan(0, _count).CopyTo(bigger);
                Return();
                _members = bigger;
            }

            _members[_count++] = member;
        }

        public void Run()
        {
            for (int i = 0; i < _count; i++)
            {
                _members![i].DrainNow();
            }

            Return();
        }

        private readonly void Return()
        {
            if (_members is not null)
            {
                Array.Clear(_members, 0, _count);
                ArrayPool<QueuedMember>.Shared.Return(_members);
            }
        }
    }
}
