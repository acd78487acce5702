namespace Marcel.Core.Chat;

/// <summary>
/// Tells commands from messages in the chat room. Pure and total: any string, however hostile, gives an answer
/// without throwing.
/// </summary>
/// <remarks>
/// Grammar (blanks around the line are ignored; command words are case-insensitive):
/// <code>
/// command = "FIN" / "/" word [ 1*WSP argument ]
/// word    = 1*( any char but WSP )
/// </code>
/// A line whose first non-blank character is not <c>/</c> (and that is not <c>FIN</c>) is a message.
/// </remarks>
public static class ChatCommandParser
{
    /// <summary>The chapter's word for "I am leaving" (the dialogue has the same one; the room does not borrow it).</summary>
    private const string Fin = "FIN";

    /// <summary>
    /// True when <paramref name="line"/> is a command, with <paramref name="command"/> set; false for a message
    /// to broadcast.
    /// </summary>
    public static bool TryParse(string? line, out ChatCommand command)
    {
        command = default;
        if (line is null)
        {
            return false;
        }

        ReadOnlySpan<char> text = line.AsSpan().Trim();
        if (text.Equals(Fin, StringComparison.OrdinalIgnoreCase))
        {
            command = new ChatCommand(ChatCommandKind.Quit, string.Empty);
            return true;
        }

        if (text.IsEmpty || text[0] != '/')
        {
            return false;
        }

        int blank = text.IndexOfAny(' ', '\t');
        ReadOnlySpan<char> word = blank < 0 ? text : text[..blank];
        ReadOnlySpan<char> argument = blank < 0 ? [] : text[(blank + 1)..].Trim();
        ChatCommandKind kind = KindOf(word[1..]);
        string value = kind switch
        {
            ChatCommandKind.Nick or ChatCommandKind.Kick => argument.ToString(),
            ChatCommandKind.Unknown => word.ToString(),
            _ => string.Empty,
        };
        command = new ChatCommand(kind, value);
        return true;
    }

    private static ChatCommandKind KindOf(ReadOnlySpan<char> word)
    {
        if (word.Equals("nick", StringComparison.OrdinalIgnoreCase)) return ChatCommandKind.Nick;
        if (word.Equals("who", StringComparison.OrdinalIgnoreCase)) return ChatCommandKind.Who;
        if (word.Equals("help", StringComparison.OrdinalIgnoreCase)) return ChatCommandKind.Help;
        if (word.Equals("quit", StringComparison.OrdinalIgnoreCase)) return ChatCommandKind.Quit;
        if (word.Equals("kick", StringComparison.OrdinalIgnoreCase)) return ChatCommandKind.Kick;
        if (word.Equals("stats", StringComparison.OrdinalIgnoreCase)) return ChatCommandKind.Stats;
        return ChatCommandKind.Unknown;
    }
}
