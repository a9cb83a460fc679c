using System.Buffers.Binary;
using VideoLink.Media.Rtp;

namespace VideoLink.Media.Tests.Rtp;

public sealed class RtcpTests
{
    [Fact]
    public void CompoundPacket_ReadsSenderReportPliFirNackAndRemb()
    {
        var buffer = new byte[256];
        var n = RtcpWriter.WriteSenderReport(buffer, 1, 0x0102030405060708, 9000, 10, 1000);
        n += RtcpWriter.WritePli(buffer.AsSpan(n), 1, 2);
        n += RtcpWriter.WriteFir(buffer.AsSpan(n), 1, 3, 7);
        n += RtcpWriter.WriteNack(buffer.AsSpan(n), 1, 4, 1000, 0b101);
        n += RtcpWriter.WriteRemb(buffer.AsSpan(n), 1, 1_500_000, [5, 6]);
        var compound = buffer.AsSpan(0, n);

        var reader = new RtcpReader(compound);
        var packets = new List<RtcpPacket>();
        while (reader.TryRead(out var packet))
        {
            packets.Add(packet);
        }

        Assert.False(reader.Malformed);
        Assert.Equal(5, packets.Count);
        Assert.Equal(RtcpType.SenderReport, packets[0].PacketType);
        Assert.True(packets[1].IsPli);
        Assert.Equal(2u, packets[1].MediaSsrc);
        Assert.True(packets[2].IsFir);
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32BigEndian(compound.Slice(packets[2].Offset + 12)));
        Assert.True(packets[3].IsNack);
        Span<ushort> lost = stackalloc ushort[17];
        var count = RtcpReader.ReadNack(compound, packets[3], lost);
        Assert.Equal(new ushort[] { 1000, 1001, 1003 }, lost[..count].ToArray());
        Assert.True(packets[4].IsRemb(compound));
        var bitrate = RtcpReader.ReadRembBitrate(compound, packets[4]);
        Assert.InRange(bitrate, 1_499_000UL, 1_500_000UL); // 18-bit mantissa loses low bits
    }

    [Fact]
    public void ReceiverReport_ReadsReportBlockWithNegativeCumulativeLoss()
    {
        var rr = new byte[32];
        rr[0] = 0x81; // V=2, RC=1
        rr[1] = RtcpType.ReceiverReport;
        BinaryPrimitives.WriteUInt16BigEndian(rr.AsSpan(2), 7);
        BinaryPrimitives.WriteUInt32BigEndian(rr.AsSpan(4), 0x11);
        BinaryPrimitives.WriteUInt32BigEndian(rr.AsSpan(8), 0x22);
        rr[12] = 64; // 25 % lost
        rr[13] = 0xFF;
        rr[14] = 0xFF;
        rr[15] = 0xFE; // -2 (duplicates)
        BinaryPrimitives.WriteUInt32BigEndian(rr.AsSpan(16), 70000);
        BinaryPrimitives.WriteUInt32BigEndian(rr.AsSpan(20), 33);

        var reader = new RtcpReader(rr);
        Assert.True(reader.TryRead(out var packet));
        Span<RtcpReportBlock> blocks = stackalloc RtcpReportBlock[4];
        Assert.Equal(1, RtcpReader.ReadReportBlocks(rr, packet, blocks));
        Assert.Equal(new RtcpReportBlock(0x22, 64, -2, 70000, 33, 0, 0), blocks[0]);
    }

    [Fact]
    public void TruncatedCompound_StopsAndFlagsMalformed()
    {
        var buffer = new byte[64];
        var n = RtcpWriter.WritePli(buffer, 1, 2);
        n += RtcpWriter.WritePli(buffer.AsSpan(n), 1, 3);
        var reader = new RtcpReader(buffer.AsSpan(0, n - 3));
        Assert.True(reader.TryRead(out _));
        Assert.False(reader.TryRead(out _));
        Assert.True(reader.Malformed);
    }
}
