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
    public static bool IsValid(string? name, string reserved) => Refusal(name, reserved) is null;

    /// <summary>Why <paramref name="name"/> is refused, in the user's language; null when it is accepted.</summary>
    public static string? Refusal(string? name, string reserved)
    {
        string Say(string format) => string.Format(System.Globalization.CultureInfo.CurrentCulture, format, name);
        if (string.IsNullOrEmpty(name))
        {
            return string.Format(System.Globalization.CultureInfo.CurrentCulture, Resources.ChatStrings.NickInvalid, MaxLength);
        }

        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            return Say(Resources.ChatStrings.NickNotAscii);
        }

        if (name.Length > MaxLength)
        {
            return string.Format(System.Globalization.CultureInfo.CurrentCulture, Resources.ChatStrings.NickTooLong, MaxLength);
        }

        if (char.IsAsciiDigit(name[0]))
        {
            return Say(Resources.ChatStrings.NickStartsWithDigit);
        }

        return string.Equals(name, reserved, StringComparison.OrdinalIgnoreCase) ? Say(Resources.ChatStrings.NickReserved) : null;
    }
}
