using VideoLink.Media.Rtp;

namespace VideoLink.Media.Tests.Rtp;

public sealed class RetransmissionBufferTests
{
    private static byte[] Packet(ushort seq, byte marker)
    {
        var packet = new byte[20];
        RtpWriter.WriteHeader(packet, false, 108, seq, 0, 1);
        packet[12] = marker;
        return packet;
    }

    [Fact]
    public void TryCopy_ReturnsStoredPacketBySequence()
    {
        var buffer = new RetransmissionBuffer(16);
        buffer.Store(Packet(65535, 0xAA));
        buffer.Store(Packet(0, 0xBB));
        var copy = new byte[1500];

        Assert.Equal(20, buffer.TryCopy(65535, copy));
        Assert.Equal(0xAA, copy[12]);
        Assert.Equal(20, buffer.TryCopy(0, copy));
        Assert.Equal(0xBB, copy[12]);
    }

    [Fact]
    public void TryCopy_AfterSlotWasReused_ReturnsZero()
    {
        var buffer = new RetransmissionBuffer(16);
        buffer.Store(Packet(1, 0xAA));
        buffer.Store(Packet(17, 0xBB)); // same slot
        Assert.Equal(0, buffer.TryCopy(1, new byte[1500]));
        Assert.Equal(0, buffer.TryCopy(2, new byte[1500]));
    }

    [Fact]
    public void Store_PacketLongerThanSlot_IsNotKept()
    {
        var buffer = new RetransmissionBuffer(16);
        var big = new byte[RetransmissionBuffer.MaxPacketLength + 1];
        RtpWriter.WriteHeader(big, false, 108, 3, 0, 1);
        buffer.Store(big);
        Assert.Equal(0, buffer.TryCopy(3, new byte[4000]));
    }
}
