using System.Text;

namespace Marcel.Core.Fetch;

/// <summary>
/// Streams a text body to a terminal: decoded with a fixed-size <see cref="Decoder"/> (constant memory whatever the
/// size), and with control characters other than tab and line ends shown as visible symbols, so that a page cannot
/// move the cursor, change colours or retitle the window.
/// </summary>
internal sealed class TerminalText(TextWriter writer, Encoding encoding, int bufferSize)
{
    private readonly Decoder _decoder = encoding.GetDecoder();
    private readonly char[] _chars = new char[encoding.GetMaxCharCount(bufferSize)];
    private char _last = '\n';

    /// <summary>Decodes and writes <paramref name="bytes"/>.</summary>
    public void Write(ReadOnlySpan<byte> bytes, bool flush = false)
    {
        int count = _decoder.GetChars(bytes, _chars, flush);
        Neutralise(_chars.AsSpan(0, count));
        writer.Write(_chars, 0, count);
        if (count > 0)
        {
            _last = _chars[count - 1];
        }
    }

    /// <summary>Ends the text, with a newline if the body had none, so the shell's prompt starts on its own line.</summary>
    public void Complete()
    {
        Write([], flush: true);
        if (_last != '\n')
        {
            writer.WriteLine();
        }

        writer.Flush();
    }

    /// <summary>Writes the head lines, neutralised too (a header can hold control characters).</summary>
    public static void WriteLines(TextWriter writer, IEnumerable<string> lines)
    {
        foreach (string line in lines)
        {
            char[] chars = line.ToCharArray();
            Neutralise(chars);
            writer.WriteLine(chars);
        }
    }

    private static void Neutralise(Span<char> chars)
    {
        foreach (ref char c in chars)
        {
            c = c switch
            {
                '\t' or '\n' or '\r' => c,
                < ' ' => (char)(0x2400 + c), // U+2400..U+241F: ␀ … ␛ … ␟
                '\u007f' => '\u2421',
                >= '\u0080' and <= '\u009f' => '\ufffd', // C1 controls (CSI, OSC) would be obeyed by some terminals
                _ => c,
            };
        }
    }
}
