using VideoLink.Hardware.Framing;
using VideoLink.Hardware.Visca;
using static VideoLink.Hardware.Tests.TestSupport;

namespace VideoLink.Hardware.Tests.Visca;

public class ViscaFramerTests
{
    [Fact]
    public void Visca_AckAndCompletionInOneRead_YieldsTwoFrames()
    {
        Assert.Equal(["90 41 FF", "90 51 FF"], FramesOf(ViscaFramer.Instance, Hex("9041FF9051FF")));
    }

    [Fact]
    public void Visca_SplitAcrossReads_NeedsMoreBytesThenFrames()
    {
        Assert.False(ViscaFramer.Instance.TryReadFrame(Hex("90 50"), out _, out int consumed));
        Assert.Equal(0, consumed);
        Assert.Equal(["90 50 02 FF"], FramesOf(ViscaFramer.Instance, Hex("90 50"), Hex("02 FF")));
    }

    [Fact]
    public void Visca_GarbageBeforePacket_IsSkipped()
    {
        Assert.Equal(["90 41 FF"], FramesOf(ViscaFramer.Instance, Hex("13 37 00 42 7E FF 90 41 FF")));
    }

    [Fact]
    public void ViscaIp_HeaderedReply_IsOneFrame()
    {
        var packet = ViscaIp.Wrap(ViscaIp.Reply, 7, Hex("90 41 FF"));
        Assert.Equal(["01 11 00 03 00 00 00 07 90 41 FF"], FramesOf(ViscaIpFramer.Instance, packet));
    }

    [Fact]
    public void ViscaIp_ResetSequence_HasDocumentedBytes()
    {
        Assert.Equal("02 00 00 01 00 00 00 00 01", ToHex(ViscaIp.ResetSequence()));
    }
}
