using VideoLink.Hardware.Framing;
using VideoLink.Hardware.SamsungMdc;
using static VideoLink.Hardware.Tests.TestSupport;

namespace VideoLink.Hardware.Tests.SamsungMdc;

public class SamsungMdcFramerTests
{
    [Theory]
    [InlineData(0x11, "01", "AA 11 01 01 01 14")] // power on
    [InlineData(0x11, "00", "AA 11 01 01 00 13")] // power off
    [InlineData(0x11, "", "AA 11 01 00 12")]      // power query
    [InlineData(0x14, "21", "AA 14 01 01 21 37")] // HDMI1
    public void SamsungMdc_DocumentedChecksums_AreCorrect(byte command, string data, string expected)
    {
        Assert.Equal(expected, ToHex(SamsungMdcFramer.Build(command, 1, Hex(data))));
    }

    [Fact]
    public void SamsungMdc_GarbageHeaderWithHugeLength_DoesNotStallLaterReply()
    {
        // AA then a length byte of FF would wait for 260 bytes; the complete reply after it must win.
        var frames = FramesOf(SamsungMdcFramer.Instance, Hex("AA 00 00 FF"), Hex("AA FF 01 03 41 11 01 56"));
        Assert.Equal(["AA FF 01 03 41 11 01 56"], frames);
    }
}
