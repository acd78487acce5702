namespace Marcel.Fuzz;

/// <summary>What a stream frames into: its lines, whether it ended on an over-long line, and the unterminated rest.</summary>
internal sealed record Framed(List<byte[]> Lines, bool TooLong, byte[] Rest)
{
    public bool SameAs(Framed other) =>
        TooLong == other.TooLong
        && Rest.AsSpan().SequenceEqual(other.Rest)
        && Lines.Count == other.Lines.Count
        && Lines.Zip(other.Lines).All(pair => pair.First.AsSpan().SequenceEqual(pair.Second));
}
