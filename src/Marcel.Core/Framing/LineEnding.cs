namespace Marcel.Core.Framing;

/// <summary>The terminator written after each outgoing line.</summary>
public enum LineEnding
{
    /// <summary><c>\n</c>, what nc, ncat and every Unix tool expect.</summary>
    Lf,

    /// <summary><c>\r\n</c>, for telnet and Windows peers.</summary>
    CrLf,

    /// <summary>Nothing: raw chunks, exactly as the chapter's Python scripts send them.</summary>
    None,
}

/// <summary>Bytes of each <see cref="LineEnding"/>.</summary>
public static class LineEndingBytes
{
    /// <summary>The bytes written after a line for <paramref name="ending"/>.</summary>
    public static ReadOnlySpan<byte> Of(LineEnding ending) => ending switch
    {
        LineEnding.Lf => "\n"u8,
        LineEnding.CrLf => "\r\n"u8,
        _ => [],
    };
}
