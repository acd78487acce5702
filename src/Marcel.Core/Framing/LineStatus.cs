namespace Marcel.Core.Framing;

/// <summary>What <see cref="LineFramer.TryReadLine"/> found at the start of a buffer.</summary>
internal enum LineStatus
{
    /// <summary>No line terminator yet: more bytes are needed.</summary>
    Incomplete,

    /// <summary>A whole line was taken from the buffer.</summary>
    Complete,

    /// <summary>The line is longer than the maximum allowed: the peer must be refused.</summary>
    TooLong,
}
