using System.Buffers;
using System.Text;

namespace Marcel.Core.Framing;

/// <summary>
/// Cuts a byte stream into text lines. Pure: no I/O, no clock, no state between calls.
/// </summary>
/// <remarks>
/// Grammar: <c>line = *OCTET ( LF / CR LF )</c>. A trailing CR before the LF is dropped so that
/// telnet, Windows clients and <c>nc -C</c> are understood. The maximum counts the line's
/// content only, not its terminator.
/// </remarks>
internal static class LineFramer
{
    private const byte LineFeed = (byte)'\n';
    private const byte CarriageReturn = (byte)'\r';

    /// <summary>Strict UTF-8 that replaces invalid sequences with U+FFFD instead of throwing.</summary>
    public static Encoding TextEncoding { get; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>
    /// Tries to take one line from the start of <paramref name="buffer"/>. On <see cref="LineStatus.Complete"/>
    /// <paramref name="line"/> holds its content (terminator removed) and <paramref name="buffer"/> is sliced past it;
    /// otherwise <paramref name="buffer"/> is left as it was.
    /// </summary>
    public static LineStatus TryReadLine(ref ReadOnlySequence<byte> buffer, int maxLineBytes, out ReadOnlySequence<byte> line)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxLineBytes);
        line = default;

        // Never search further than a legal line can reach: a flood with no LF costs O(max), not O(flood).
        long searchLength = Math.Min(buffer.Length, (long)maxLineBytes + 2);
        SequencePosition? lineFeed = buffer.Slice(0, searchLength).PositionOf(LineFeed);
        if (lineFeed is null)
        {
            // One byte of slack: the last byte may be the CR of a CR LF whose LF has not arrived.
            return buffer.Length > (long)maxLineBytes + 1 ? LineStatus.TooLong : LineStatus.Incomplete;
        }

        ReadOnlySequence<byte> content = WithoutTrailingCarriageReturn(buffer.Slice(0, lineFeed.Value));
        if (content.Length > maxLineBytes)
        {
            return LineStatus.TooLong;
        }

        line = content;
        buffer = buffer.Slice(buffer.GetPosition(1, lineFeed.Value));
        return LineStatus.Complete;
    }

    /// <summary>
    /// Takes whatever is left as one last message: used when the peer sent no terminator
    /// (the chapter's scripts never do) and no more data followed, or the stream ended.
    /// </summary>
    public static ReadOnlySequence<byte> TakeRemainder(ReadOnlySequence<byte> buffer) => WithoutTrailingCarriageReturn(buffer);

    /// <summary>Decodes a line's bytes; invalid UTF-8 becomes U+FFFD, never an exception.</summary>
    public static string Decode(in ReadOnlySequence<byte> line) => TextEncoding.GetString(line);

    /// <summary>Writes <paramref name="text"/> as UTF-8 followed by <paramref name="terminator"/>.</summary>
    public static void WriteLine(IBufferWriter<byte> output, ReadOnlySpan<char> text, ReadOnlySpan<byte> terminator)
    {
        ArgumentNullException.ThrowIfNull(output);
        TextEncoding.GetBytes(text, output);
        output.Write(terminator);
    }

    private static ReadOnlySequence<byte> WithoutTrailingCarriageReturn(ReadOnlySequence<byte> content)
    {
        if (content.Length > 0)
        {
            Span<byte> last = stackalloc byte[1];
            content.Slice(content.Length - 1).CopyTo(last);
            if (last[0] == CarriageReturn)
            {
                return content.Slice(0, content.Length - 1);
            }
        }

        return content;
    }
}
