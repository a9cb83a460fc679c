namespace VideoLink.Hub.Conference;

/// <summary>G.711 (ITU-T G.711) µ-law and A-law to and from 16-bit linear, by table (decode) and by formula (encode).</summary>
public static class G711
{
    public const int FrameBytes = 160;
    public const byte MuLawSilence = 0xFF;
    public const byte ALawSilence = 0xD5;

    private static readonly short[] MuLawTable = BuildMuLaw();
    private static readonly short[] ALawTable = BuildALaw();

    public static short Decode(byte value, AudioLaw law) => law == AudioLaw.MuLaw ? MuLawTable[value] : ALawTable[value];

    public static byte Silence(AudioLaw law) => law == AudioLaw.MuLaw ? MuLawSilence : ALawSilence;

    public static byte EncodeMuLaw(short sample)
    {
        const int bias = 0x84;
        var sign = sample < 0 ? 0x80 : 0;
        var magnitude = Math.Min(sample < 0 ? -sample : sample, 32635) + bias;
        var exponent = 7;
        for (var mask = 0x4000; (magnitude & mask) == 0 && exponent > 0; mask >>= 1)
        {
            exponent--;
        }

        var mantissa = (magnitude >> (exponent + 3)) & 0x0F;
        return (byte)~(sign | (exponent << 4) | mantissa);
    }

    public static byte EncodeALaw(short sample)
    {
        var sign = sample >= 0 ? 0x80 : 0;
        var magnitude = Math.Min(sample < 0 ? -sample : sample, 32767) >> 3;
        int value;
        if (magnitude < 32)
        {
            value = magnitude >> 1;
        }
        else
        {
            var exponent = 1;
            while (magnitude >= 64 && exponent < 7)
            {
                magnitude >>= 1;
                exponent++;
            }

            value = (exponent << 4) | ((magnitude >> 1) & 0x0F);
        }

        return (byte)((sign | value) ^ 0x55);
    }

    public static byte Encode(short sample, AudioLaw law) => law == AudioLaw.MuLaw ? EncodeMuLaw(sample) : EncodeALaw(sample);

    /// <summary>RMS of a G.711 frame, full scale = 1.</summary>
    public static double Level(ReadOnlySpan<byte> frame, AudioLaw law)
    {
        if (frame.IsEmpty)
        {
            return 0;
        }

        double sum = 0;
        foreach (var b in frame)
        {
            double s = Decode(b, law);
            sum += s * s;
        }

        return Math.Sqrt(sum / frame.Length) / 32768.0;
    }

    private static short[] BuildMuLaw()
    {
        var table = new short[256];
        for (var i = 0; i < 256; i++)
        {
            var u = ~i & 0xFF;
            var t = ((u & 0x0F) << 3) + 0x84;
            t <<= (u & 0x70) >> 4;
            table[i] = (short)((u & 0x80) != 0 ? 0x84 - t : t - 0x84);
        }

        return table;
    }

    private static short[] BuildALaw()
    {
        var table = new short[256];
        for (var i = 0; i < 256; i++)
        {
            var a = i ^ 0x55;
            var t = (a & 0x0F) << 4;
            var segment = (a & 0x70) >> 4;
            t = segment switch
            {
                0 => t + 8,
                1 => t + 0x108,
                _ => (t + 0x108) << (segment - 1),
            };
            table[i] = (short)((a & 0x80) != 0 ? t : -t);
        }

        return table;
    }
}
