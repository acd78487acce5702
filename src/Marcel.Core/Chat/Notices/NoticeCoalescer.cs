using System.Globalization;
using Marcel.Core.Chat.Events;
using Marcel.Core.Resources;

namespace Marcel.Core.Chat.Notices;

/// <summary>
/// Words the joins, leaves and renames seen in one notice window. Pure: same events, same culture, same lines.
/// Each run of joins (or of leaves for the same reason) becomes one line ("* 250 people joined: a, b, … and 240
/// others."); a rename is always its own line; order is kept. A lone join is not told to the newcomer itself, who
/// has had its welcome. A leave at shutdown is not announced.
/// </summary>
public static class NoticeCoalescer
{
    /// <summary>The lines for <paramref name="events"/> (joins, leaves and renames; others are ignored).</summary>
    public static List<RoomNotice> Coalesce(IReadOnlyList<RoomEvent> events, int namesShown)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentOutOfRangeException.ThrowIfLessThan(namesShown, 1);
        var notices = new List<RoomNotice>();
        for (int start = 0; start < events.Count;)
        {
            RoomEvent first = events[start];
            int end = start + 1;
            if (first is MemberJoined or MemberLeft)
            {
                while (end < events.Count && SameRun(first, events[end]))
                {
                    end++;
                }
            }

            if (Word(events, start, end, namesShown) is { } notice)
            {
                notices.Add(notice);
            }

            start = end;
        }

        return notices;
    }

    /// <summary>"a, b, c" or "a, b, c and N others", listing at most <paramref name="namesShown"/>.</summary>
    public static string NameList(IEnumerable<string> names, int count, int namesShown)
    {
        string shown = string.Join(", ", names.Take(namesShown));
        return count <= namesShown ? shown : Format(ChatStrings.AndOthers, shown, count - namesShown);
    }

    private static bool SameRun(RoomEvent first, RoomEvent next) => (first, next) switch
    {
        (MemberJoined, MemberJoined) => true,
        (MemberLeft a, MemberLeft b) => a.Reason == b.Reason,
        _ => false,
    };

    private static RoomNotice? Word(IReadOnlyList<RoomEvent> events, int start, int end, int namesShown)
    {
        int count = end - start;
        IEnumerable<string> names = Enumerable.Range(start, count).Select(i => events[i] switch
        {
            MemberJoined j => j.Member.Name,
            MemberLeft l => l.Member.Name,
            _ => string.Empty,
        });
        switch (events[start])
        {
            case MemberRenamed renamed:
                return new RoomNotice(Format(ChatStrings.Renamed, renamed.OldName, renamed.Member.Name), renamed.Member.Id);
            case MemberJoined joined:
                return count == 1
                    ? new RoomNotice(Format(ChatStrings.JoinedOne, joined.Member.Name), joined.Member.Id)
                    : new RoomNotice(Format(ChatStrings.JoinedMany, count, NameList(names, count, namesShown)), null);
            case MemberLeft { Reason: ChatCloseReason.Shutdown }:
                return null;
            case MemberLeft left:
                string list = NameList(names, count, namesShown);
                string text = (count, ReasonText(left.Reason)) switch
                {
                    (1, null) => Format(ChatStrings.LeftOne, list),
                    (1, string why) => Format(ChatStrings.LeftOneReason, list, why),
                    (_, null) => Format(ChatStrings.LeftMany, count, list),
                    (_, string why) => Format(ChatStrings.LeftManyReason, count, list, why),
                };
                return new RoomNotice(text, null);
            default:
                return null;
        }
    }

    /// <summary>The words for a leave's reason in a notice; null when it needs none (hung up, quit).</summary>
    private static string? ReasonText(ChatCloseReason reason) => reason switch
    {
        ChatCloseReason.Kicked => ChatStrings.ReasonKicked,
        ChatCloseReason.Idle => ChatStrings.ReasonIdle,
        ChatCloseReason.TooLong => ChatStrings.ReasonTooLong,
        ChatCloseReason.Overflow => ChatStrings.ReasonOverflow,
        ChatCloseReason.Shutdown => ChatStrings.ReasonShutdown,
        _ => null,
    };

    private static string Format(string format, params object?[] arguments) => string.Format(CultureInfo.CurrentCulture, format, arguments);
}
