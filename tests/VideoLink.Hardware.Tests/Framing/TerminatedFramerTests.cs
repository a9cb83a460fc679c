using VideoLink.Hardware.Framing;
using static VideoLink.Hardware.Tests.TestSupport;

namespace VideoLink.Hardware.Tests.Framing;

public class TerminatedFramerTests
{
    [Fact]
    public void PjLink_LinesWithCr_AreFramedWithoutTerminator()
    {
        var frames = FramesOf(TerminatedFramer.PjLink, "PJLINK 0\r%1POW"u8.ToArray(), "R=1\r"u8.ToArray());
        Assert.Equal(["50 4A 4C 49 4E 4B 20 30", "25 31 50 4F 57 52 3D 31"], frames);
    }

    [Fact]
    public void Lg_ReplyEndingInX_IsOneFrame()
    {
        var frames = FramesOf(TerminatedFramer.LgReply, "a 01 OK01x"u8.ToArray());
        Assert.Equal([ToHex("a 01 OK01"u8)], frames);
    }
}
