using Marcel.Core.Resources;

namespace Marcel.Core.Chat;

public sealed partial class ChatServer
{
    /// <summary>
    /// Messages fan out under the read side, notices under the write side: a notice never overtakes or splits the
    /// messages around it, so a receiver always sees "x joined" before x's first line, and "x is now known as y"
    /// before y's first line. Held only while enqueuing (no await), never while writing to a socket.
    /// </summary>
    private readonly ReaderWriterLockSlim _order = new();
    private readonly List<Notice> _pending = [];
    private ITimer? _noticeTimer;
    private volatile bool _noticesPending;

    private enum NoticeKind
    {
        Joined,
        Left,
        Renamed,
    }

    /// <summary>Sends <paramref name="lines"/> (whole encoded lines) to every member but <paramref name="except"/>.</summary>
    private void Broadcast(byte[] lines, ChatMember? except)
    {
        if (_noticesPending)
        {
            FlushNotices();
        }

        List<ChatMember>? overflowed = null;
        _order.EnterReadLock();
        try
        {
            Deliver(lines, except, ref overflowed);
        }
        finally
        {
            _order.ExitReadLock();
        }

        HandleOverflows(overflowed);
    }

    private void Deliver(byte[] lines, ChatMember? except, ref List<ChatMember>? overflowed)
    {
        foreach (ChatMember member in Snapshot())
        {
            if (!ReferenceEquals(member, except) && !member.TryEnqueue(lines))
            {
                (overflowed ??= []).Add(member);
            }
        }
    }

    private void HandleOverflows(List<ChatMember>? overflowed)
    {
        if (overflowed is null)
        {
            return;
        }

        foreach (ChatMember member in overflowed)
        {
            Overflowed(member);
        }
    }

    /// <summary>The member could not keep up: drop its queue, cut it off; its reader then reports the leave.</summary>
    private void Overflowed(ChatMember member)
    {
        ChatLog.Overflow(_logger, member.Name, _options.MaxQueueBytes);
        member.Discard();
        member.Stop(ChatCloseReason.Overflow);
        member.Connection.Abort();
    }

    /// <summary>Records a join, leave or rename; they go out together after <see cref="ChatOptions.NoticeWindow"/>.</summary>
    private void AddNotice(Notice notice)
    {
        lock (_room)
        {
            _pending.Add(notice);
            if (_noticesPending)
            {
                return;
            }

            _noticesPending = true;
            _noticeTimer ??= _time.CreateTimer(static state => ((ChatServer)state!).FlushNotices(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _noticeTimer.Change(_options.NoticeWindow, Timeout.InfiniteTimeSpan);
        }
    }

    private void FlushNotices()
    {
        List<ChatMember>? overflowed = null;
        _order.EnterWriteLock();
        try
        {
            Notice[] batch;
            lock (_room)
            {
                if (!_noticesPending)
                {
                    return;
                }

                batch = [.. _pending];
                _pending.Clear();
                _noticesPending = false;
            }

            foreach ((string text, ChatMember? subject) in Coalesce(batch))
            {
                _operator.Happened(text);
                if (!_stopping)
                {
                    Deliver(Encode(text), subject, ref overflowed);
                }
            }
        }
        finally
        {
            _order.ExitWriteLock();
        }

        HandleOverflows(overflowed);
    }

    /// <summary>
    /// Turns each run of joins (or of leaves for the same reason) into one line; a lone join is not told to the
    /// newcomer itself, who has had its welcome.
    /// </summary>
    private IEnumerable<(string Text, ChatMember? Subject)> Coalesce(Notice[] batch)
    {
        for (int start = 0; start < batch.Length;)
        {
            Notice first = batch[start];
            int end = start + 1;
            while (first.Kind != NoticeKind.Renamed && end < batch.Length && batch[end].Kind == first.Kind && batch[end].Reason == first.Reason)
            {
                end++;
            }

            int count = end - start;
            string names = NameList(batch.Skip(start).Take(count).Select(n => n.Name), count);
            string? reason = ReasonText(first.Reason);
            string text = (first.Kind, count, reason) switch
            {
                (NoticeKind.Renamed, _, _) => Format(ChatStrings.Renamed, first.Name, first.NewName),
                (NoticeKind.Joined, 1, _) => Format(ChatStrings.JoinedOne, names),
                (NoticeKind.Joined, _, _) => Format(ChatStrings.JoinedMany, count, names),
                (_, 1, null) => Format(ChatStrings.LeftOne, names),
                (_, 1, _) => Format(ChatStrings.LeftOneReason, names, reason),
                (_, _, null) => Format(ChatStrings.LeftMany, count, names),
                _ => Format(ChatStrings.LeftManyReason, count, names, reason),
            };
            yield return (text, count == 1 ? first.Subject : null);
            start = end;
        }
    }

    private static string? ReasonText(ChatCloseReason? reason) => reason switch
    {
        ChatCloseReason.Kicked => ChatStrings.ReasonKicked,
        ChatCloseReason.Idle => ChatStrings.ReasonIdle,
        ChatCloseReason.TooLong => ChatStrings.ReasonTooLong,
        ChatCloseReason.Overflow => ChatStrings.ReasonOverflow,
        ChatCloseReason.Shutdown => ChatStrings.ReasonShutdown,
        _ => null,
    };

    /// <summary>A join, leave or rename waiting to be announced; <paramref name="Subject"/> is not told of its own join.</summary>
    private readonly record struct Notice(NoticeKind Kind, string Name, string? NewName, ChatCloseReason? Reason, ChatMember? Subject);
}
