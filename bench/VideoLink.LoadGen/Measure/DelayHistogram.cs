using System.Diagnostics;

namespace VideoLink.LoadGen.Measure;

/// <summary>
/// Forwarding delays in 10 µs buckets up to 500 ms (one overflow bucket beyond). Receive loops record concurrently
/// with an interlocked increment; percentiles are read once the window is over.
/// </summary>
internal sealed class DelayHistogram
{
    private const int BucketMicroseconds = 10;
    private const int Buckets = 50_000;
    private readonly long[] _counts = new long[Buckets + 1];
    private readonly double _ticksPerBucket = Stopwatch.Frequency / 1_000_000.0 * BucketMicroseconds;

    public void Record(long delayTicks)
    {
        var bucket = delayTicks <= 0 ? 0 : (long)(delayTicks / _ticksPerBucket);
        Interlocked.Increment(ref _counts[bucket > Buckets ? Buckets : bucket]);
    }

    public long Count => _counts.Sum();

    public void Reset() => Array.Clear(_counts);

    /// <summary>The delay in milliseconds below which <paramref name="fraction"/> of the samples lie (bucket upper edge).</summary>
    public double Percentile(double fraction)
    {
        var total = Count;
        if (total == 0)
        {
            return double.NaN;
        }

        var rank = (long)Math.Ceiling(fraction * total);
        long seen = 0;
        for (var i = 0; i <= Buckets; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return (i + 1) * BucketMicroseconds / 1000.0;
            }
        }

        return double.PositiveInfinity;
    }
}
