namespace Marcel.Core.Chat;

/// <summary>The rule for names in the room: short, printable, unambiguous after <c>&lt;</c> and before <c>&gt;</c>.</summary>
public static class ChatNames
{
    /// <summary>The longest name accepted.</summary>
    public const int MaxLength = 32;

    /// <summary>
    /// True for 1 to <see cref="MaxLength"/> ASCII letters, digits, <c>-</c>, <c>_</c> or <c>.</c>, not starting with a digit
    /// (so a name never looks like a number), and not <paramref name="reserved"/> (the server's own name) in any case.
    /// </summary>
    public static bool IsValid(string? name, string reserved)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength || char.IsAsciiDigit(name[0]))
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return false;
            }
        }

        return !string.Equals(name, reserved, StringComparison.OrdinalIgnoreCase);
    }
}
