using VideoLink.Hardware.Framing;
using VideoLink.Hardware.Em4100;
using static VideoLink.Hardware.Tests.TestSupport;

namespace VideoLink.Hardware.Tests.Em4100;

public class Em4100FramerTests
{
    [Fact]
    public void Em4100_RepeatedFrames_DecodeToTag()
    {
        var frame = Em4100Framer.Build(Hex("01 02 03 04 05"));
        Assert.Equal("02 30 31 30 32 30 33 30 34 30 35 30 31 03", ToHex(frame)); // XOR 01^02^03^04^05 = 01
        var frames = FramesOf(Em4100Framer.Instance, [.. frame, 0x17, .. frame]);
        Assert.Equal(2, frames.Count);
        Assert.True(Em4100Framer.TryDecode(frame, out ulong tag));
        Assert.Equal(0x0102030405UL, tag);
    }

    [Fact]
    public void Em4100_BadChecksum_IsRejected()
    {
        var frame = Em4100Framer.Build(Hex("01 02 03 04 05"));
        frame[12] = (byte)'9';
        Assert.Empty(FramesOf(Em4100Framer.Instance, frame));
    }
}
