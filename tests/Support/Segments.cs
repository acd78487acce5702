using System.Buffers;

namespace Marcel.Tests.Support;

/// <summary>Builds multi-segment sequences, to test parsers against the way TCP splits data.</summary>
internal static class Segments
{
    public static ReadOnlySequence<byte> OneBytePerSegment(byte[] data) => Split(data, Enumerable.Repeat(1, data.Length));

    /// <summary>Cuts <paramref name="data"/> into segments of the given sizes (the last takes the rest).</summary>
    public static ReadOnlySequence<byte> Split(byte[] data, IEnumerable<int> sizes)
    {
        if (data.Length == 0) return ReadOnlySequence<byte>.Empty;
        Segment? first = null, last = null;
        int at = 0;
        foreach (int size in sizes.Append(int.MaxValue))
        {
            if (at >= data.Length) break;
            int take = Math.Clamp(size, 1, data.Length - at);
            var next = new Segment(data.AsMemory(at, take), last);
            first ??= next;
            last = next;
            at += take;
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
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
