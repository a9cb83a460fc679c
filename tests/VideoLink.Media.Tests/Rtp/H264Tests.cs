using VideoLink.Media.Rtp;

namespace VideoLink.Media.Tests.Rtp;

public sealed class H264Tests
{
    private static readonly byte[] Sps = [0x67, 0x42, 0xE0, 0x1F, 0xDA, 0x01];
    private static readonly byte[] Pps = [0x68, 0xCE, 0x3C, 0x80];

    [Theory]
    [InlineData(new byte[] { 0x65, 0x88 }, true)] // IDR
    [InlineData(new byte[] { 0x67, 0x42 }, true)] // SPS
    [InlineData(new byte[] { 0x41, 0x9A }, false)] // non-IDR slice
    [InlineData(new byte[] { 0x7C, 0x85, 0x00 }, true)] // FU-A, start bit, IDR
    [InlineData(new byte[] { 0x7C, 0x05, 0x00 }, false)] // FU-A continuation of IDR
    [InlineData(new byte[] { 0x7C, 0x81, 0x00 }, false)] // FU-A start of non-IDR
    [InlineData(new byte[] { 0x78, 0x00, 0x02, 0x67, 0x42, 0x00, 0x01, 0x68 }, true)] // STAP-A SPS+PPS
    [InlineData(new byte[] { 0x78, 0x00, 0x09, 0x67 }, false)] // STAP-A with a size past the end
    [InlineData(new byte[] { }, false)]
    public void IsKeyFrameStart_RecognisesIdrAndSpsInEveryPacketisation(byte[] payload, bool expected) =>
        Assert.Equal(expected, H264.IsKeyFrameStart(payload));

    [Fact]
    public void ParameterSetCache_FromStapA_WritesStapAWithSpsThenPps()
    {
        var stap = new List<byte> { 0x78, 0, (byte)Sps.Length };
        stap.AddRange(Sps);
        stap.AddRange(new byte[] { 0, (byte)Pps.Length });
        stap.AddRange(Pps);
        var cache = new H264ParameterSetCache();
        cache.Observe(stap.ToArray());

        Assert.True(cache.HasParameterSets);
        var output = new byte[64];
        var length = cache.WriteStapA(output);
        Assert.Equal(stap.ToArray(), output[..length]);
    }

    [Fact]
    public void ParameterSetCache_SingleNalUnits_KeepsLatest()
    {
        var cache = new H264ParameterSetCache();
        cache.Observe(Sps);
        Assert.False(cache.HasParameterSets);
        cache.Observe(Pps);
        cache.Observe([0x68, 0x01]);
        Assert.Equal(Sps, cache.Sps.ToArray());
        Assert.Equal(new byte[] { 0x68, 0x01 }, cache.Pps.ToArray());
    }
}
