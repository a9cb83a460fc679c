namespace VideoLink.Media.Audio;

/// <summary>The two companding laws of ITU-T G.711: µ-law (PCMU, RTP payload type 0) and A-law (PCMA, 8).</summary>
public enum G711Law
{
    /// <summary>µ-law, North America and Japan; RTP/AVP static payload type 0 (RFC 3551 §6).</summary>
    Mu,

    /// <summary>A-law, Europe and China; RTP/AVP static payload type 8.</summary>
    A,
}

/// <summary>
/// ITU-T G.711 µ-law and A-law, table-driven. Samples are 16-bit linear PCM; the tables are built once from the
/// reference algorithm of ITU-T G.191 (STL <c>g711.c</c>): A-law looks at the 12 most significant bits of the magnitude
/// (the 13-bit law), µ-law at the 14 most significant bits (the 14-bit law). Negative samples use the one's complement
/// as the reference does, so −1 encodes to the negative zero code.
/// </summary>
public static class G711
{
    /// <summary>RTP/AVP static payload type of PCMU (RFC 3551 Table 4).</summary>
    public const byte PcmuPayloadType = 0;

    /// <summary>RTP/AVP static payload type of PCMA.</summary>
    public const byte PcmaPayloadType = 8;

    /// <summary>The µ-law code of silence (positive zero).</summary>
    public const byte MuSilence = 0xFF;

    /// <summary>The A-law code closest to silence (+8 after expansion).</summary>
    public const byte ASilence = 0xD5;

    private static readonly short[] MuDecodeTable = BuildDecodeTable(G711Law.Mu);
    private static readonly short[] ADecodeTable = BuildDecodeTable(G711Law.A);

    // µ-law depends only on sample >> 2 (16,384 entries), A-law only on sample >> 4 (4,096 entries): indexed by the
    // unsigned view of the shifted sample, so a right shift of the ushort is the index.
    private static readonly byte[] MuEncodeTable = BuildMuEncodeTable();
    private static readonly byte[] AEncodeTable = BuildAEncodeTable();

    /// <summary>The law of an RTP/AVP static payload type, or false for any other type.</summary>
    public static bool TryGetLaw(byte payloadType, out G711Law law)
    {
        switch (payloadType)
        {
            case PcmuPayloadType:
                law = G711Law.Mu;
                return true;
            case PcmaPayloadType:
                law = G711Law.A;
                return true;
            default:
                law = default;
                return false;
        }
    }

    public static byte PayloadType(G711Law law) => law == G711Law.Mu ? PcmuPayloadType : PcmaPayloadType;

    public static byte Silence(G711Law law) => law == G711Law.Mu ? MuSilence : ASilence;

    public static short Decode(byte code, G711Law law) => law == G711Law.Mu ? MuDecodeTable[code] : ADecodeTable[code];

    public static byte Encode(short sample, G711Law law) =>
        law == G711Law.Mu ? MuEncodeTable[(ushort)sample >> 2] : AEncodeTable[(ushort)sample >> 4];

    /// <summary>Expands <paramref name="codes"/> into the first <c>codes.Length</c> samples of <paramref name="samples"/>.</summary>
    public static void Decode(ReadOnlySpan<byte> codes, Span<short> samples, G711Law law)
    {
        if (samples.Length < codes.Length)
        {
            throw new ArgumentException("destination is shorter than the source", nameof(samples));
        }

        var table = law == G711Law.Mu ? MuDecodeTable : ADecodeTable;
        ref var lookup = ref table[0];
        for (var i = 0; i < codes.Length; i++)
        {
            samples[i] = System.Runtime.CompilerServices.Unsafe.Add(ref lookup, codes[i]);
        }
    }

    /// <summary>Compresses <paramref name="samples"/> into the first <c>samples.Length</c> bytes of <paramref name="codes"/>.</summary>
    public static void Encode(ReadOnlySpan<short> samples, Span<byte> codes, G711Law law)
    {
        if (codes.Length < samples.Length)
        {
            throw new ArgumentException("destination is shorter than the source", nameof(codes));
        }

        if (law == G711Law.Mu)
        {
            ref var lookup = ref MuEncodeTable[0];
            for (var i = 0; i < samples.Length; i++)
            {
                codes[i] = System.Runtime.CompilerServices.Unsafe.Add(ref lookup, (ushort)samples[i] >> 2);
            }
        }
        else
        {
            ref var lookup = ref AEncodeTable[0];
            for (var i = 0; i < samples.Length; i++)
            {
                codes[i] = System.Runtime.CompilerServices.Unsafe.Add(ref lookup, (ushort)samples[i] >> 4);
            }
        }
    }

    /// <summary>G.191 <c>ulaw_compress</c> for one 16-bit sample.</summary>
    internal static byte MuCompressReference(short sample)
    {
        int linear = sample;
        var magnitude = (linear < 0 ? (~linear >> 2) : (linear >> 2)) + 33; // bias 33 in the 14-bit domain
        if (magnitude > 0x1FFF)
        {
            magnitude = 0x1FFF;
        }

        var segment = 1;
        for (var i = magnitude >> 6; i != 0; i >>= 1)
        {
            segment++;
        }

        var high = 8 - segment;
        var low = 0x0F - ((magnitude >> segment) & 0x0F);
        var code = (high << 4) | low;
        if (linear >= 0)
        {
            code |= 0x80;
        }

        return (byte)code;
    }

    /// <summary>G.191 <c>alaw_compress</c> for one 16-bit sample.</summary>
    internal static byte ACompressReference(short sample)
    {
        int linear = sample;
        var ix = linear < 0 ? (~linear >> 4) : (linear >> 4);
        if (ix > 15)
        {
            var exponent = 1;
            while (ix > 16 + 15)
            {
                ix >>= 1;
                exponent++;
            }

            ix -= 16;
            ix += exponent << 4;
        }

        if (linear >= 0)
        {
            ix |= 0x80;
        }

        return (byte)(ix ^ 0x55); // even bits inverted (G.711 §2, Table 1a note)
    }

    /// <summary>G.191 <c>ulaw_expand</c> / <c>alaw_expand</c> for one code.</summary>
    internal static short ExpandReference(byte code, G711Law law)
    {
        if (law == G711Law.Mu)
        {
            var sign = code < 0x80 ? -1 : 1;
            var complement = ~code;
            var exponent = (complement >> 4) & 0x07;
            var mantissa = complement & 0x0F;
            var step = 4 << (exponent + 1);
            return (short)(sign * ((0x80 << exponent) + (step * mantissa) + (step / 2) - (4 * 33)));
        }

        var ix = code ^ 0x55;
        var aExponent = (ix & 0x7F) >> 4;
        var aMantissa = ix & 0x0F;
        if (aExponent > 0)
        {
            aMantissa += 16;
        }

        aMantissa = (aMantissa << 4) + 0x08;
        if (aExponent > 1)
        {
            aMantissa <<= aExponent - 1;
        }

        return (short)(ix > 127 ? aMantissa : -aMantissa);
    }

    private static short[] BuildDecodeTable(G711Law law)
    {
        var table = new short[256];
        for (var code = 0; code < 256; code++)
        {
            table[code] = ExpandReference((byte)code, law);
        }

        return table;
    }

    private static byte[] BuildMuEncodeTable()
    {
        var table = new byte[1 << 14];
        for (var index = 0; index < table.Length; index++)
        {
            table[index] = MuCompressReference((short)(ushort)(index << 2));
        }

        return table;
    }

    private static byte[] BuildAEncodeTable()
    {
        var table = new byte[1 << 12];
        for (var index = 0; index < table.Length; index++)
        {
            table[index] = ACompressReference((short)(ushort)(index << 4));
        }

        return table;
    }
}
