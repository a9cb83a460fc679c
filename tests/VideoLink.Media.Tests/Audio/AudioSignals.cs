using VideoLink.Media.Audio;

namespace VideoLink.Media.Tests.Audio;

/// <summary>Test signals and a Goertzel tone detector.</summary>
internal static class AudioSignals
{
    public const int SampleRate = 8000;

    /// <summary>A continuous sine: sample n of the tone, so consecutive calls join without a phase step.</summary>
    public static short[] Tone(double frequency, double amplitude, long firstSample, int count)
    {
        var samples = new short[count];
        for (var i = 0; i < count; i++)
        {
            samples[i] = (short)Math.Round(amplitude * Math.Sin(2 * Math.PI * frequency * (firstSample + i) / SampleRate));
        }

        return samples;
    }

    public static byte[] ToneG711(double frequency, double amplitude, long firstSample, int count, G711Law law)
    {
        var codes = new byte[count];
        G711.Encode(Tone(frequency, amplitude, firstSample, count), codes, law);
        return codes;
    }

    public static short[] Decode(ReadOnlySpan<byte> codes, G711Law law)
    {
        var samples = new short[codes.Length];
        G711.Decode(codes, samples, law);
        return samples;
    }

    /// <summary>
    /// Share of the signal's energy at <paramref name="frequency"/> (Goertzel): ≈ 1 for a pure tone on a whole number of
    /// cycles, ≈ 1/k for one of k equal tones, ≈ 0 when the tone is absent.
    /// </summary>
    public static double ToneShare(ReadOnlySpan<short> samples, double frequency)
    {
        var coefficient = 2 * Math.Cos(2 * Math.PI * frequency / SampleRate);
        double s1 = 0, s2 = 0, energy = 0;
        foreach (var x in samples)
        {
            var s0 = x + (coefficient * s1) - s2;
            s2 = s1;
            s1 = s0;
            energy += (double)x * x;
        }

        var power = (s1 * s1) + (s2 * s2) - (coefficient * s1 * s2);
        return energy == 0 ? 0 : 2 * power / (samples.Length * energy);
    }

    public static double Rms(ReadOnlySpan<short> samples)
    {
        double energy = 0;
        foreach (var x in samples)
        {
            energy += (double)x * x;
        }

        return samples.IsEmpty ? 0 : Math.Sqrt(energy / samples.Length);
    }
}
