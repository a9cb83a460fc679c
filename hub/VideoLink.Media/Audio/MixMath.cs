using System.Numerics;
using System.Runtime.InteropServices;

namespace VideoLink.Media.Audio;

/// <summary>The arithmetic of the mix on spans, with <see cref="Vector{T}"/> where the width allows.</summary>
internal static class MixMath
{
    /// <summary>Below this magnitude samples pass unchanged; above it they bend smoothly towards full scale.</summary>
    public const int SoftClipKnee = 24576;
    private const int Headroom = short.MaxValue - SoftClipKnee;

    /// <summary>sum[i] += frame[i], in int32 (300 full-scale inputs stay far from overflow).</summary>
    public static void Accumulate(Span<int> sum, ReadOnlySpan<short> frame)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && frame.Length >= Vector<short>.Count)
        {
            var sums = MemoryMarshal.Cast<int, Vector<int>>(sum);
            var frames = MemoryMarshal.Cast<short, Vector<short>>(frame);
            for (var v = 0; v < frames.Length; v++)
            {
                Vector.Widen(frames[v], out var low, out var high);
                sums[2 * v] += low;
                sums[(2 * v) + 1] += high;
            }

            i = frames.Length * Vector<short>.Count;
        }

        for (; i < frame.Length; i++)
        {
            sum[i] += frame[i];
        }
    }

    /// <summary>Mean of the squared samples (0 … 2^30).</summary>
    public static double MeanSquare(ReadOnlySpan<short> frame)
    {
        long total = 0;
        var i = 0;
        if (Vector.IsHardwareAccelerated && frame.Length >= Vector<short>.Count)
        {
            var accumulator = Vector<long>.Zero;
            var frames = MemoryMarshal.Cast<short, Vector<short>>(frame);
            foreach (var v in frames)
            {
                Vector.Widen(v, out var low, out var high);
                Vector.Widen(low * low, out var a, out var b);
                Vector.Widen(high * high, out var c, out var d);
                accumulator += a + b + c + d;
            }

            total = Vector.Sum(accumulator);
            i = frames.Length * Vector<short>.Count;
        }

        for (; i < frame.Length; i++)
        {
            total += frame[i] * frame[i];
        }

        return frame.IsEmpty ? 0 : (double)total / frame.Length;
    }

    /// <summary>
    /// output[i] = clip(sum[i] − own[i]): the N−1 mix. Subtracting before clipping keeps a loud leg's own voice from
    /// leaking into its mix (clipping the total first would leave the difference in it).
    /// </summary>
    public static void MixMinus(ReadOnlySpan<int> sum, ReadOnlySpan<short> own, Span<short> output)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && own.Length >= Vector<short>.Count)
        {
            var sums = MemoryMarshal.Cast<int, Vector<int>>(sum);
            var owns = MemoryMarshal.Cast<short, Vector<short>>(own);
            var outputs = MemoryMarshal.Cast<short, Vector<short>>(output);
            var knee = new Vector<int>(SoftClipKnee);
            for (var v = 0; v < owns.Length; v++)
            {
                Vector.Widen(owns[v], out var low, out var high);
                var a = sums[2 * v] - low;
                var b = sums[(2 * v) + 1] - high;
                if (Vector.LessThanOrEqualAll(Vector.Abs(a), knee) && Vector.LessThanOrEqualAll(Vector.Abs(b), knee))
                {
                    outputs[v] = Vector.Narrow(a, b);
                }
                else
                {
                    var start = v * Vector<short>.Count;
                    for (var k = start; k < start + Vector<short>.Count; k++)
                    {
                        output[k] = SoftClip(sum[k] - own[k]);
                    }
                }
            }

            i = owns.Length * Vector<short>.Count;
        }

        for (; i < own.Length; i++)
        {
            output[i] = SoftClip(sum[i] - own[i]);
        }
    }

    /// <summary>output[i] = clip(sum[i]): the mix for a leg that contributes nothing.</summary>
    public static void Clip(ReadOnlySpan<int> sum, Span<short> output)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && output.Length >= Vector<short>.Count)
        {
            var sums = MemoryMarshal.Cast<int, Vector<int>>(sum);
            var outputs = MemoryMarshal.Cast<short, Vector<short>>(output);
            var knee = new Vector<int>(SoftClipKnee);
            for (var v = 0; v < outputs.Length; v++)
            {
                var a = sums[2 * v];
                var b = sums[(2 * v) + 1];
                if (Vector.LessThanOrEqualAll(Vector.Abs(a), knee) && Vector.LessThanOrEqualAll(Vector.Abs(b), knee))
                {
                    outputs[v] = Vector.Narrow(a, b);
                }
                else
                {
                    var start = v * Vector<short>.Count;
                    for (var k = start; k < start + Vector<short>.Count; k++)
                    {
                        output[k] = SoftClip(sum[k]);
                    }
                }
            }

            i = outputs.Length * Vector<short>.Count;
        }

        for (; i < output.Length; i++)
        {
            output[i] = SoftClip(sum[i]);
        }
    }

    /// <summary>
    /// Identity up to the knee, then knee + H·e/(e + H) for the excess e (H = 32767 − knee): continuous, rising,
    /// never beyond ±32767, however many inputs add up.
    /// </summary>
    public static short SoftClip(int x)
    {
        if (x is >= -SoftClipKnee and <= SoftClipKnee)
        {
            return (short)x;
        }

        long excess = Math.Abs((long)x) - SoftClipKnee;
        var bent = SoftClipKnee + (int)(Headroom * excess / (excess + Headroom));
        return (short)(x < 0 ? -bent : bent);
    }
}
