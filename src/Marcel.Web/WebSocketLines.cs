using System.Buffers;
using Marcel.Core.Framing;

namespace Marcel.Web;

/// <summary>
/// One text message from a browser into the room's lines, by the same framing as a TCP client's bytes: a message is a
/// line, and a message holding newlines is several (<c>LF</c> or <c>CR LF</c>, as <see cref="LineFramer"/> cuts them).
/// The end of the message ends its last line: <c>"a"</c> and <c>"a\n"</c> are both the one line <c>a</c>. Pure.
/// </summary>
internal static class WebSocketLines
{
    /// <summary>Takes the next line off <paramref name="rest"/> (what is left of a message); false when none is left.</summary>
    public static bool TryTake(ref ReadOnlySequence<byte> rest, out ReadOnlySequence<byte> line)
    {
        if (rest.IsEmpty)
        {
            line = default;
            return false;
        }

        // The whole message is within the room's limit already, so no line in it can be too long.
        if (LineFramer.TryReadLine(ref rest, (int)Math.Min(rest.Length, int.MaxValue), out line) == LineStatus.Complete)
        {
            return true;
        }

        line = LineFramer.TakeRemainder(rest);
        rest = ReadOnlySequence<byte>.Empty;
        return true;
    }
}
