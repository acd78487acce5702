using System.Buffers;
using Marcel.Core.Framing;

namespace Marcel.Web;

/// <summary>
/// One text message from a browser into the room's lines, by the same framing as a TCP client's bytes: a message is a
/// line, and a message holding newlines is several (<c>LF</c> or <c>CR LF</c>, as <see cref="LineFramer"/> cuts them).
/// Pure.
/// </summary>
internal static class WebSocketLines
{
    /// <summary>
    /// Adds the lines of <paramref name="message"/> (UTF-8, already checked by the WebSocket layer) to
    /// <paramref name="lines"/>. The message ends the last line: <c>"a"</c> and <c>"a\n"</c> are both the one line
    /// <c>a</c>; an empty message is one empty line.
    /// </summary>
    public static void Split(ReadOnlyMemory<byte> message, List<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var rest = new ReadOnlySequence<byte>(message);
        int max = message.Length;
        while (LineFramer.TryReadLine(ref rest, max, out ReadOnlySequence<byte> line) == LineStatus.Complete)
        {
            lines.Add(LineFramer.Decode(line));
        }

        if (!rest.IsEmpty || message.IsEmpty)
        {
            lines.Add(LineFramer.Decode(LineFramer.TakeRemainder(rest)));
        }
    }
}
