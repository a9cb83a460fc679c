using VideoLink.Media.Audio;

namespace VideoLink.Media.Tests.Audio;

public sealed class G711Tests
{
    [Theory]
    [InlineData(0xFF, 0)] // positive zero
    [InlineData(0x7F, 0)] // negative zero
    [InlineData(0x80, 32124)] // largest magnitude (8031 in the 14-bit law, × 4)
    [InlineData(0x00, -32124)]
    [InlineData(0xF0, 120)] // last level of segment 0 (step 8)
    [InlineData(0xEF, 132)] // first level of segment 1 (step 16)
    [InlineData(0xE0, 372)]
    [InlineData(0xDF, 396)] // first level of segment 2 (step 32)
    [InlineData(0x8F, 16764)] // first level of segment 7 (step 1024)
    public void MuLaw_KnownCodeWords_DecodeToTheStandardsLevels(int code, int expected)
    {
        Assert.Equal(expected, G711.Decode((byte)code, G711Law.Mu));
    }

    [Theory]
    [InlineData(0xD5, 8)] // smallest positive level (even bits inverted: 0x80 ^ 0x55)
    [InlineData(0x55, -8)]
    [InlineData(0xD4, 24)]
    [InlineData(0xC5, 264)] // first level of segment 1, same step (16) as segment 0
    [InlineData(0xF5, 528)] // first level of segment 2 (step 32)
    [InlineData(0xAA, 32256)] // largest magnitude (4032 in the 13-bit law, × 8)
    [InlineData(0x2A, -32256)]
    public void ALaw_KnownCodeWords_DecodeToTheStandardsLevels(int code, int expected)
    {
        Assert.Equal(expected, G711.Decode((byte)code, G711Law.A));
    }

    [Theory]
    [InlineData(0, 0xFF)]
    [InlineData(-1, 0x7F)] // one's complement: −1 is the negative zero
    [InlineData(123, 0xF0)] // 14-bit 30 + bias 33 = 63: still segment 0
    [InlineData(124, 0xEF)] // 14-bit 31 + 33 = 64: segment 1 starts
    [InlineData(32767, 0x80)]
    [InlineData(-32768, 0x00)]
    [InlineData(32124, 0x80)]
    public void MuLaw_KnownSamples_EncodeToTheStandardsCodes(int sample, int expected)
    {
        Assert.Equal(expected, G711.Encode((short)sample, G711Law.Mu));
    }

    [Theory]
    [InlineData(0, 0xD5)]
    [InlineData(-1, 0x55)]
    [InlineData(255, 0xDA)] // 12-bit magnitude 15: last code of segment 0 (level 248)
    [InlineData(256, 0xC5)] // 16: segment 1 starts
    [InlineData(32767, 0xAA)]
    [InlineData(-32768, 0x2A)]
    public void ALaw_KnownSamples_EncodeToTheStandardsCodes(int sample, int expected)
    {
        Assert.Equal(expected, G711.Encode((short)sample, G711Law.A));
    }

    [Theory]
    [InlineData(G711Law.Mu)]
    [InlineData(G711Law.A)]
    public void DecodedLevels_RiseStrictlyWithTheMagnitudeCode_InBothSigns(G711Law law)
    {
        for (var sign = 0; sign < 2; sign++)
        {
            var previous = -1;
            for (var magnitude = 0; magnitude < 128; magnitude++)
            {
                // µ-law transmits the magnitude inverted, A-law with its even bits inverted (G.711 Tables 1a/2a).
                var code = law == G711Law.Mu
                    ? (byte)((sign << 7) | (0x7F - magnitude))
                    : (byte)(((sign << 7) | magnitude) ^ 0x55);
                var value = Math.Abs((int)G711.Decode(code, law));
                Assert.True(value > previous || (law == G711Law.Mu && magnitude == 0), $"code 0x{code:X2}: {value} after {previous}");
                previous = value;
            }
        }
    }

    [Theory]
    [InlineData(G711Law.Mu)]
    [InlineData(G711Law.A)]
    public void EveryLevel_EncodesBackToTheSameLevel(G711Law law)
    {
        for (var code = 0; code < 256; code++)
        {
            var level = G711.Decode((byte)code, law);
            Assert.Equal(level, G711.Decode(G711.Encode(level, law), law));
        }
    }

    [Theory]
    // one unit of the law's input resolution for the truncation, one more for the one's complement of negatives:
    [InlineData(G711Law.Mu, 8)] // 14-bit law: a unit is 4 in 16-bit samples
    [InlineData(G711Law.A, 32)] // 13-bit law (12 magnitude bits seen by the G.191 coder): a unit is 16
    public void EverySample_LiesInTheDecisionIntervalOfItsCode(G711Law law, int resolution)
    {
        // G.711 puts each reconstruction level in the middle of its decision interval, whose width is the step of the
        // level's segment (so at a segment edge the boundary is not halfway between the two levels).
        var top = Enumerable.Range(0, 256).Max(c => (int)G711.Decode((byte)c, law));
        for (var x = (int)short.MinValue; x <= short.MaxValue; x++)
        {
            var code = G711.Encode((short)x, law);
            int level = G711.Decode(code, law);
            if (Math.Abs(x) > top)
            {
                Assert.Equal(x > 0 ? top : -top, level); // overload: the largest magnitude
                continue;
            }

            var neighbour = code ^ 0x01; // the mantissa's low bit: another level of the same segment
            var step = Math.Abs(level - G711.Decode((byte)neighbour, law));
            Assert.True(Math.Abs(x - level) <= (step / 2) + resolution, $"{law} {x}: level {level}, step {step}");
            Assert.Equal(x >= 0, level > 0 || (level == 0 && code >= 0x80)); // the sign survives
        }
    }

    [Theory]
    [InlineData(G711Law.Mu)]
    [InlineData(G711Law.A)]
    public void Tables_MatchTheG191ReferenceAlgorithm_ForEverySampleAndCode(G711Law law)
    {
        for (var x = (int)short.MinValue; x <= short.MaxValue; x++)
        {
            var reference = law == G711Law.Mu ? G711.MuCompressReference((short)x) : G711.ACompressReference((short)x);
            Assert.Equal(reference, G711.Encode((short)x, law));
        }

        for (var code = 0; code < 256; code++)
        {
            Assert.Equal(G711.ExpandReference((byte)code, law), G711.Decode((byte)code, law));
        }
    }

    [Theory]
    [InlineData(G711Law.Mu)]
    [InlineData(G711Law.A)]
    public void SpanVersions_MatchTheScalarOnes(G711Law law)
    {
        var samples = AudioSignals.Tone(1234, 30000, 0, 999);
        var codes = new byte[samples.Length];
        G711.Encode(samples, codes, law);
        var decoded = new short[codes.Length];
        G711.Decode(codes, decoded, law);
        for (var i = 0; i < samples.Length; i++)
        {
            Assert.Equal(G711.Encode(samples[i], law), codes[i]);
            Assert.Equal(G711.Decode(codes[i], law), decoded[i]);
        }
    }

    [Fact]
    public void PayloadTypes_AreTheRtpAvpStaticOnes()
    {
        Assert.True(G711.TryGetLaw(0, out var mu));
        Assert.Equal(G711Law.Mu, mu);
        Assert.True(G711.TryGetLaw(8, out var a));
        Assert.Equal(G711Law.A, a);
        Assert.False(G711.TryGetLaw(13, out _));
        Assert.Equal(0, G711.PayloadType(G711Law.Mu));
        Assert.Equal(8, G711.PayloadType(G711Law.A));
    }
}
