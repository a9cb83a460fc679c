using VideoLink.Hardware.Framing;
using VideoLink.Hardware.IdCard;
using static VideoLink.Hardware.Tests.TestSupport;

namespace VideoLink.Hardware.Tests.IdCard;

public class IdCardFramerTests
{
    [Fact]
    public void IdCard_FindCard_DocumentedChecksumIsCorrect()
    {
        Assert.Equal("AA AA AA 96 69 00 03 20 01 22", ToHex(IdCardFramer.Build(Hex("20 01"))));
    }

    [Fact]
    public void IdCard_ReplySplitAndPrefixedWithNoise_IsFramed()
    {
        var reply = IdCardFramer.Build(Hex("00 00 9F"));
        var frames = FramesOf(IdCardFramer.Instance, [0x00, 0xAA, .. reply[..4]], reply[4..]);
        Assert.Equal([ToHex(reply)], frames);
    }
}
