using Marcel.Core.Chat.Events;
using Marcel.Core.Chat.Members;
using Marcel.Core.Chat.Notices;

namespace Marcel.Core.Chat.Room;

/// <summary>
/// Hands deliveries to the local members, and turns joins, leaves and renames into notices once per window. Lines
/// fan out under the read side of one order lock, many senders at once; notices under its write side, so a notice
/// never overtakes or splits the lines around it ("x joined" is never behind x's first line). Only queueing happens
/// under it, never a send: each queue schedules its member's drain on the thread pool (or, for datagram members on
/// the UDP receive thread, after the lock: see <see cref="Members.InlineDrains"/>).
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
        _order.EnterReadLock();
        try
        {
            Deliver(delivery, ref overflowed);
        }
        finally
        {
            _order.ExitReadLock();
        }

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

    private void Deliver(Delivery delivery, ref List<IRoomMember>? overflowed)
    {
        string? except = delivery.Event.ExceptId;
        foreach (IRoomMember member in _members.Snapshot())
        {
            if ((except is null || member.Identity.Id != except) && !member.TryDeliver(delivery))
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
        _order.EnterWriteLock();
        try
        {
            RoomEvent[] batch = _notices.Take();
            foreach (RoomNotice notice in batch.Length == 0 ? [] : NoticeCoalescer.Coalesce(batch, _room.Options.NamesShown))
            {
                _room.Operator.Happened(notice.Text);
                if (!_room.IsStopping)
                {
                    Deliver(new Delivery(notice), ref overflowed);
                }
            }
        }
        finally
        {
            _order.ExitWriteLock();
        }

        HandleOverflows(overflowed);
    }
}
