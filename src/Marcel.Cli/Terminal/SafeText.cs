using System.Text;

namespace Marcel.Cli.Terminal;

/// <summary>
/// Makes a peer's text harmless on a terminal: control characters (ESC, BEL, CR, backspace…) are shown as
/// visible symbols, never interpreted, so a peer cannot move the cursor, clear the screen or retitle the window.
/// Bidirectional formatting characters are shown as escapes too: they would let a peer reorder what the operator
/// reads (the "Trojan Source" trick) without any control character.
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
                _ when IsBidiControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return safe.ToString();
    }

    private static bool NeedsEscaping(string text)
    {
        foreach (char c in text)
        {
            if ((c < ' ' && c != '\t') || c == '\u007f' || c is >= '\u0080' and <= '\u009f' || IsBidiControl(c))
            {
                return true;
            }
        }

        return false;
    }

    // ALM, LRM, RLM, the embeddings and overrides (LRE…RLO), and the isolates (LRI…PDI).
    private static bool IsBidiControl(char c) => c is '\u061c' or '\u200e' or '\u200f' or (>= '\u202a' and <= '\u202e') or (>= '\u2066' and <= '\u2069');
}
