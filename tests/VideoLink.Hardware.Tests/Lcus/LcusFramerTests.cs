using VideoLink.Hardware.Framing;
using VideoLink.Hardware.Lcus;
using static VideoLink.Hardware.Tests.TestSupport;

namespace VideoLink.Hardware.Tests.Lcus;

public class LcusFramerTests
{
    [Theory]
    [InlineData(true, "A0 01 01 A2")]
    [InlineData(false, "A0 01 00 A1")]
    public void Lcus_DocumentedFrames_AreCorrect(bool on, string expected)
    {
        Assert.Equal(expected, ToHex(LcusFramer.Build(1, on)));
        Assert.Single(FramesOf(LcusFramer.Instance, Hex("00 " + expected)));
    }
}
