using System.Buffers;

namespace Marcel.Core.Framing;

/// <summary>Receives lines from <see cref="LineReader.ReadLinesAsync"/> as bytes (terminator removed, not decoded).</summary>
public interface ILineVisitor
{
    /// <summary>
    /// Takes one line; <paramref name="line"/> is valid only during the call. Returns false to stop the batch after
    /// this line (the rest stays buffered for the next read).
    /// </summary>
    bool Visit(in ReadOnlySequence<byte> line);
}
