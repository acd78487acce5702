using System.Globalization;
using Marcel.Core.Chat.Events;
using Marcel.Core.Chat.Notices;
using Marcel.Core.Chat.Roster;
using Marcel.Core.Resources;

namespace Marcel.Core.Chat.Room;

/// <summary>The room's own lines, worded once for every kind of member (resources, in the current culture).</summary>
internal static class RoomText
{
    public static string Format(string format, params object?[] arguments) => string.Format(CultureInfo.CurrentCulture, format, arguments);

    /// <summary>The newcomer's short list: every name in a small room, the count and a few names in a big one.</summary>
    public static string WhoIsHere(RosterPage others, int namesShown)
    {
        if (others.Count == 0)
        {
            return ChatStrings.AloneHere;
        }

        string names = NoticeCoalescer.NameList(others.Members.Select(m => m.Name), others.Count, namesShown);
        return others.Count <= namesShown ? Format(ChatStrings.HereFew, names) : Format(ChatStrings.HereMany, others.Count, names);
    }

    /// <summary>"N in the room:" then one line per member with its address, and its server in a room across servers.</summary>
    public static List<string> WhoLines(RosterPage all, bool spansServers)
    {
        var lines = new List<string>(all.Members.Count + 1) { Format(ChatStrings.WhoHeader, all.Count) };
        foreach (MemberIdentity m in all.Members)
        {
            // A browser says so (the operator and the class can tell who came through the page); in a room across servers,
            // where each one is, even while they all sit on one (the room does not change its wording as members come and go).
            lines.Add(spansServers ? Format(m.Kind == MemberKinds.Web ? ChatStrings.WhoEntryWebOnNode : ChatStrings.WhoEntryOnNode, m.Name, m.Remote, m.Node)
                : Format(m.Kind == MemberKinds.Web ? ChatStrings.WhoEntryWeb : ChatStrings.WhoEntry, m.Name, m.Remote));
        }

        return lines;
    }

    /// <summary>"Members per server: a 3, b 5." in a room across servers (even with one server holding them all), else null.</summary>
    public static string? PerNode(RosterPage all, bool spansServers)
    {
        var counts = all.Members.GroupBy(m => m.Node, StringComparer.Ordinal).Select(g => (Node: g.Key, Count: g.Count())).ToArray();
        return !spansServers || counts.Length == 0
            ? null
            : Format(ChatStrings.OpPerNode, string.Join(", ", counts.OrderBy(c => c.Node, StringComparer.Ordinal).Select(c => $"{c.Node} {c.Count}")));
    }

    /// <summary>The last line a leaving member is sent, or null (it hung up, or cannot be reached any more).</summary>
    public static string? LastLine(ChatCloseReason reason, ChatOptions options) => reason switch
    {
        ChatCloseReason.Kicked => ChatStrings.KickedNotice,
        ChatCloseReason.Idle => Format(ChatStrings.IdleNotice, options.IdleTimeout.GetValueOrDefault().TotalSeconds),
        ChatCloseReason.TooLong => Format(ChatStrings.TooLongNotice, options.Lines.MaxLineBytes),
        ChatCloseReason.Shutdown => ChatStrings.ShutdownNotice,
        ChatCloseReason.HungUp or ChatCloseReason.Overflow => null,
        _ => ChatStrings.Goodbye,
    };
}
