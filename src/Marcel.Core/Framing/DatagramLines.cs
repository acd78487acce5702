namespace Marcel.Core.Framing;

/// <summary>
/// A datagram as lines, and lines as a datagram. Pure: no I/O. A datagram is a whole message by itself (UDP keeps
/// boundaries, unlike TCP), so nothing waits for a newline: what <c>nc -u</c> sends for one typed line is one datagram
/// ending in LF, and a script may pack several lines into one.
/// </summary>
/// <remarks>
/// Grammar: <c>datagram = *( line ( LF / CR LF ) ) [ line ]</c>. A last line without a terminator is still a line;
/// an empty datagram holds no line at all (it is not an empty line).
/// </remarks>
public static class DatagramLines
{
    /// <summary>The lines of <paramref name="payload"/>, decoded as UTF-8 (invalid bytes become U+FFFD).</summary>
    public static IReadOnlyList<string> Split(ReadOnlySpan<byte> payload)
    {
        var lines = new List<string>(1);
        while (!payload.IsEmpty)
        {
            int lineFeed = payload.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = lineFeed < 0 ? payload : payload[..lineFeed];
            if (!line.IsEmpty && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            lines.Add(LineFramer.TextEncoding.GetString(line));
            payload = lineFeed < 0 ? [] : payload[(lineFeed + 1)..];
        }

        return lines;
    }

    /// <summary>Bytes <paramref name="text"/> takes as one datagram with <paramref name="ending"/> after it.</summary>
    public static int ByteCount(string text, LineEnding ending)
    {
        ArgumentNullException.ThrowIfNull(text);
        return LineFramer.TextEncoding.GetByteCount(text) + LineEndingBytes.Of(ending).Length;
    }

    /// <summary><paramref name="text"/> as one datagram: its UTF-8 bytes, then <paramref name="ending"/>.</summary>
    public static byte[] Encode(string text, LineEnding ending)
    {
        ArgumentNullException.ThrowIfNull(text);
        ReadOnlySpan<byte> terminator = LineEndingBytes.Of(ending);
        byte[] payload = new byte[LineFramer.TextEncoding.GetByteCount(text) + terminator.Length];
        int written = LineFramer.TextEncoding.GetBytes(text, payload);
        terminator.CopyTo(payload.AsSpan(written));
        return payload;
    }
}
