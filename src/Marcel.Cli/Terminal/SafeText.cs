using System.Text;

namespace Marcel.Cli.Terminal;

/// <summary>
/// Makes a peer's text harmless on a terminal: control characters (ESC, BEL, CR, backspace…) are shown as
/// visible symbols, never interpreted, so a peer cannot move the cursor, clear the screen or retitle the window.
/// </summary>
internal static class SafeText
{
    /// <summary>Returns <paramref name="text"/> with every control character but tab replaced by a visible form.</summary>
    public static string ForTerminal(string text)
    {
        if (!NeedsEscaping(text))
        {
            return text;
        }

        var safe = new StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            safe.Append(c switch
            {
                '\t' => "\t",
                < ' ' => ((char)(0x2400 + c)).ToString(), // U+2400..U+241F: ␀ … ␛ … ␟
                '\u007f' => "\u2421",
                >= '\u0080' and <= '\u009f' => $"\\u{(int)c:x4}", // C1 controls (CSI, OSC) as text
                _ => c.ToString(),
            });
        }

        return safe.ToString();
    }

    private static bool NeedsEscaping(string text)
    {
        foreach (char c in text)
        {
            if ((c < ' ' && c != '\t') || c == '\u007f' || c is >= '\u0080' and <= '\u009f')
            {
                return true;
            }
        }

        return false;
    }
}
