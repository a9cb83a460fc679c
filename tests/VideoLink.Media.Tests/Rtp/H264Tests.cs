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

    [Fact]
    public void CarriesSps_OnlyForAnSpsOrAStapAHoldingOne()
    {
        var stapWithSps = new List<byte> { 0x78, 0, (byte)Sps.Length };
        stapWithSps.AddRange(Sps);
        stapWithSps.AddRange(new byte[] { 0, (byte)Pps.Length });
        stapWithSps.AddRange(Pps);
        byte[] stapWithoutSps = [0x78, 0, (byte)Pps.Length, .. Pps, 0, 2, 0x65, 0x88];

        Assert.True(H264.CarriesSps(Sps));
        Assert.True(H264.CarriesSps(stapWithSps.ToArray()));
        Assert.False(H264.CarriesSps(stapWithoutSps));
        Assert.False(H264.CarriesSps([0x65, 0x88, 0x84])); // a bare IDR
        Assert.False(H264.CarriesSps([0x7C, 0x85, 0x88])); // first FU-A fragment of an IDR
        Assert.False(H264.CarriesSps([0x78, 0, 40, 0x67])); // truncated aggregate
        Assert.False(H264.CarriesSps([]));
    }

    [Fact]
    public void ParameterSetCache_TakesTheSpropParameterSetsOfAnSdpFmtp_AndSkipsMalformedOnes()
    {
        var cache = new H264ParameterSetCache();
        var fmtp = $"profile-level-id=42e01f;packetization-mode=1; sprop-parameter-sets={Convert.ToBase64String(Sps)},{Convert.ToBase64String(Pps)},%%%";

        Assert.True(cache.ObserveSpropParameterSets(fmtp));

        Assert.Equal(Sps, cache.Sps.ToArray());
        Assert.Equal(Pps, cache.Pps.ToArray());
        Assert.False(new H264ParameterSetCache().ObserveSpropParameterSets("profile-level-id=42e01f;packetization-mode=1"));
        Assert.False(new H264ParameterSetCache().ObserveSpropParameterSets(null));
    }
}
