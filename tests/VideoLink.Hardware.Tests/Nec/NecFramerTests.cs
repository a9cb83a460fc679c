using VideoLink.Hardware.Framing;
using VideoLink.Hardware.Nec;
using static VideoLink.Hardware.Tests.TestSupport;

namespace VideoLink.Hardware.Tests.Nec;

public class NecFramerTests
{
    [Fact]
    public void Nec_PowerOnPacket_HasBccAndFrames()
    {
        var packet = NecFramer.Build((byte)'A', (byte)'A', "C203D60001"u8);
        // SOH '0' 'A' '0' 'A' '0' 'C' STX C203D60001 ETX BCC CR
        Assert.Equal("01 30 41 30 41 30 43 02 43 32 30 33 44 36 30 30 30 31 03 73 0D", ToHex(packet));
        Assert.Single(FramesOf(NecFramer.Instance, [0x55, .. packet]));
    }
}
