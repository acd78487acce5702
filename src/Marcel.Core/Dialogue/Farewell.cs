namespace Marcel.Core.Dialogue;

/// <summary>The chapter's rule for the end of a dialogue.</summary>
internal static class Farewell
{
    /// <summary>The word that ends a conversation, from either side.</summary>
    public const string Word = "FIN";

    /// <summary>
    /// True for <c>FIN</c> in any case with blanks around it, or an empty message: the chapter tests
    /// <c>msg.upper() == "FIN" or msg == ""</c>; we forgive the blanks a terminal or telnet adds.
    /// </summary>
    public static bool IsFarewell(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        ReadOnlySpan<char> trimmed = message.AsSpan().Trim();
        return trimmed.IsEmpty || trimmed.Equals(Word, StringComparison.OrdinalIgnoreCase);
    }
}
