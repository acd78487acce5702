using System.Buffers;
using System.IO.Pipelines;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Marcel.Core.Framing;

namespace Marcel.Tests.Framing;

/// <summary>TCP may cut a stream anywhere: whatever the cut, the reader must give the same messages.</summary>
public class ChunkingPropertyTests
{
    // Mostly terminators, CRs and a few text/binary bytes, so that lines are short, CR LF pairs get split,
    // and the small maximum below is crossed often.
    private static readonly Gen<byte> Bytes = Gen.Frequency(
        (3, Gen.Elements((byte)'\n', (byte)'\r')),
        (6, Gen.Elements((byte)'a', (byte)'b', (byte)' ')),
        (1, Gen.Elements((byte)0, (byte)0xC3, (byte)0xA9, (byte)0xFF, (byte)0x1B)));

    private static readonly Arbitrary<(byte[] Data, int[] Sizes, int Max)> Streams =
        Gen.Zip(Gen.Zip(Gen.ArrayOf(Bytes), Gen.ArrayOf(Gen.Choose(1, 12))), Gen.Choose(1, 16))
            .Select(t => (t.Item1.Item1, t.Item1.Item2.Length == 0 ? [1] : t.Item1.Item2, t.Item2))
            .ToArbitrary();

    [Property(MaxTest = 500)]
    public Property Any_split_of_a_byte_stream_yields_the_same_messages_as_the_whole() =>
        Prop.ForAll(Streams, s =>
            Read(s.Data, [int.MaxValue], s.Max).SequenceEqual(Read(s.Data, s.Sizes, s.Max)));

    [Property(MaxTest = 200)]
    public Property One_byte_at_a_time_yields_the_same_messages_as_the_whole() =>
        Prop.ForAll(Streams, s =>
            Read(s.Data, [int.MaxValue], s.Max).SequenceEqual(Read(s.Data, [1], s.Max)));

    /// <summary>
    /// Feeds <paramref name="data"/> through a pipe in chunks of the given sizes (repeated) to a <see cref="LineReader"/>
    /// and returns every result up to the end or the overflow. Inline schedulers and a flush delay of an hour make the
    /// run deterministic: chunk timing plays no part, only where the cuts fall.
    /// </summary>
    private static List<LineReadResult> Read(byte[] data, int[] sizes, int max)
    {
        var pipe = new Pipe(new PipeOptions(readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, pauseWriterThreshold: 0, useSynchronizationContext: false));
        var reader = new LineReader(pipe.Reader, new LineOptions { MaxLineBytes = max, FlushDelay = TimeSpan.FromHours(1) });
        var results = new List<LineReadResult>();
        Task<LineReadResult> next = reader.ReadAsync().AsTask();
        int at = 0;
        for (int i = 0; at < data.Length; i++)
        {
            next = Drain(reader, next, results);
            int take = Math.Min(sizes[i % sizes.Length], data.Length - at);
            pipe.Writer.Write(data.AsSpan(at, take));
            Assert.True(pipe.Writer.FlushAsync().AsTask().IsCompleted);
            at += take;
        }

        pipe.Writer.Complete();
        Drain(reader, next, results);
        Assert.NotEqual(LineReadKind.Message, results[^1].Kind);
        return results;
    }

    private static Task<LineReadResult> Drain(LineReader reader, Task<LineReadResult> next, List<LineReadResult> results)
    {
        while (next.IsCompleted && (results.Count == 0 || results[^1].Kind == LineReadKind.Message))
        {
            results.Add(next.Result);
            if (results[^1].Kind == LineReadKind.Message)
            {
                next = reader.ReadAsync().AsTask();
            }
        }

        return next;
    }
}
