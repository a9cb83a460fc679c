using VideoLink.Media.Rtp;

namespace VideoLink.Media.Tests.Rtp;

public sealed class RtpHeaderTests
{
    [Fact]
    public void HeaderWithMidAndAbsSendTime_ParsesBackBothExtensions()
    {
        var buffer = new byte[64];
        var length = RtpWriter.WriteHeaderWithExtensions(buffer, true, 108, 4242, 90000, 0xDEADBEEF, 4, "1"u8, 2, 0x123456);
        "XYZ"u8.CopyTo(buffer.AsSpan(length));
        var packet = buffer.AsSpan(0, length + 3);

        Assert.True(RtpHeader.TryParse(packet, out var header));
        Assert.True(header.Marker);
        Assert.Equal(108, header.PayloadType);
        Assert.Equal(4242, header.SequenceNumber);
        Assert.Equal(90000u, header.Timestamp);
        Assert.Equal(0xDEADBEEFu, header.Ssrc);
        Assert.Equal(0xBEDE, header.ExtensionProfile);
        Assert.True(header.TryGetExtension(packet, 4, out var mid));
        Assert.Equal("1"u8.ToArray(), mid.ToArray());
        Assert.True(header.TryGetExtension(packet, 2, out var abs));
        Assert.Equal(new byte[] { 0x12, 0x34, 0x56 }, abs.ToArray());
        Assert.False(header.TryGetExtension(packet, 3, out _));
        Assert.Equal("XYZ"u8.ToArray(), header.Payload(packet).ToArray());
    }

    [Fact]
    public void PaddedPacket_PayloadExcludesPadding()
    {
        var buffer = new byte[20];
        RtpWriter.WriteHeader(buffer, false, 0, 1, 2, 3);
        buffer[0] |= 0x20;
        buffer[12] = 0xAA;
        buffer[13] = 0xBB;
        buffer[^1] = 6; // 6 bytes of padding
        Assert.True(RtpHeader.TryParse(buffer, out var header));
        Assert.Equal(2, header.PayloadLength);
    }

    [Fact]
    public void TryParse_TruncatedOrBadVersion_ReturnsFalse()
    {
        var buffer = new byte[64];
        var length = RtpWriter.WriteHeaderWithExtensions(buffer, false, 96, 1, 1, 1, 4, "0"u8, 0, 0);
        for (var n = 0; n < length; n++)
        {
            Assert.False(RtpHeader.TryParse(buffer.AsSpan(0, n), out _));
        }

        buffer[0] = 0x40; // version 1
        Assert.False(RtpHeader.TryParse(buffer.AsSpan(0, length), out _));
    }

    [Fact]
    public void PaddingLongerThanPayload_IsRejected()
    {
        var buffer = new byte[14];
        RtpWriter.WriteHeader(buffer, false, 0, 1, 2, 3);
        buffer[0] |= 0x20;
        buffer[^1] = 9;
        Assert.False(RtpHeader.TryParse(buffer, out _));
    }
}
