using System.Buffers;

namespace Marcel.Fuzz;

/// <summary>Joins chunks into one multi-segment sequence, the shape a pipe hands over after several TCP reads.</summary>
internal static class ChunkSequence
{
    public static ReadOnlySequence<byte> Of(IEnumerable<ReadOnlyMemory<byte>> chunks)
    {
        Segment? first = null, last = null;
        foreach (ReadOnlyMemory<byte> chunk in chunks)
        {
            last = new Segment(chunk, last);
            first ??= last;
        }

        return first is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, Segment? previous)
        {
            Memory = memory;
            if (previous is not null)
            {
                RunningIndex = previous.RunningIndex + previous.Memory.Length;
                previous.Next = this;
            }
        }
    }
}
