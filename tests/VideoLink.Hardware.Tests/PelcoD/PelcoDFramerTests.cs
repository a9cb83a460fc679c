using VideoLink.Hardware.Framing;
using VideoLink.Hardware.PelcoD;
using static VideoLink.Hardware.Tests.TestSupport;

namespace VideoLink.Hardware.Tests.PelcoD;

public class PelcoDFramerTests
{
    [Theory]
    [InlineData(0x00, 0x00, 0x00, 0x00, "FF 01 00 00 00 00 01")] // stop
    [InlineData(0x00, 0x08, 0x00, 0x20, "FF 01 00 08 00 20 29")] // up
    [InlineData(0x00, 0x03, 0x00, 0x01, "FF 01 00 03 00 01 05")] // set preset 1
    [InlineData(0x00, 0x07, 0x00, 0x01, "FF 01 00 07 00 01 09")] // recall preset 1
    public void PelcoD_DocumentedChecksums_AreCorrect(byte c1, byte c2, byte d1, byte d2, string expected)
    {
        Assert.Equal(expected, ToHex(PelcoDFramer.Build(1, c1, c2, d1, d2)));
    }

    [Fact]
    public void PelcoD_BadChecksum_IsResyncedPast()
    {
        Assert.Equal(["FF 01 00 07 00 01 09"], FramesOf(PelcoDFramer.Instance, Hex("FF 01 00 07 00 01 0A FF 01 00 07 00 01 09")));
    }
}
