namespace ChatLoad;

/// <summary>Latencies in 10 µs buckets up to 10 s, updated from many receivers at once.</summary>
internal sealed class Histogram
{
    private const long BucketMicros = 10;
    private readonly long[] _buckets = new long[1_000_001];
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    /// <summary>Forgets the samples so far (after the warm-up).</summary>
    public void Clear()
    {
        Array.Clear(_buckets);
        Interlocked.Exchange(ref _count, 0);
    }

    public void Add(double micros)
    {
        long bucket = Math.Clamp((long)(micros / BucketMicros), 0, _buckets.Length - 1);
        Interlocked.Increment(ref _buckets[bucket]);
        Interlocked.Increment(ref _count);
    }

    /// <summary>The latency below which <paramref name="fraction"/> of the samples fall, in milliseconds.</summary>
    public double PercentileMs(double fraction)
    {
        long target = (long)Math.Ceiling(Count * fraction), seen = 0;
        for (int i = 0; i < _buckets.Length; i++)
        {
            seen += _buckets[i];
            if (seen >= target && target > 0) return (i + 1) * BucketMicros / 1000.0;
        }

        return double.NaN;
    }
}
