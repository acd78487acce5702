namespace Marcel.Fuzz;

/// <summary>
/// Turns AFL's raw bytes into a test case: a maximum line length, the sizes the stream is cut into, and the stream.
/// </summary>
/// <remarks>
/// Layout: byte 0 picks the maximum (mostly tiny, so the fuzzer reaches the limit), byte 1 the number of chunk
/// sizes that follow (0-15), then one byte per size (1-256), then the data. Sizes repeat until the data is used up.
/// </remarks>
internal sealed record FuzzInput(int MaxLineBytes, int[] ChunkSizes, byte[] Data)
{
    public static FuzzInput Parse(byte[] raw)
    {
        if (raw.Length < 2)
        {
            return new FuzzInput(8, [1], raw);
        }

        int max = raw[0] < 240 ? 1 + (raw[0] % 48) : (raw[0] - 239) * 4096;
        int count = Math.Min(raw[1] % 16, raw.Length - 2);
        int[] sizes = count == 0 ? [int.MaxValue] : raw.AsSpan(2, count).ToArray().Select(b => b + 1).ToArray();
        return new FuzzInput(max, sizes, raw[(2 + count)..]);
    }

    /// <summary>The data cut into the chunk sizes, in order; concatenated they are <see cref="Data"/>.</summary>
    public IEnumerable<ReadOnlyMemory<byte>> Chunks()
    {
        int at = 0;
        for (int i = 0; at < Data.Length; i++)
        {
            int take = Math.Min(ChunkSizes[i % ChunkSizes.Length], Data.Length - at);
            yield return Data.AsMemory(at, take);
            at += take;
        }
    }
}
