using System.Buffers.Binary;

namespace VideoLink.Media.Rtp;

/// <summary>RTCP packet types (RFC 3550 §12.1, RFC 4585 §6.1).</summary>
internal static class RtcpType
{
    public const byte SenderReport = 200;
    public const byte ReceiverReport = 201;
    public const byte SourceDescription = 202;
    public const byte Bye = 203;
    public const byte TransportFeedback = 205;
    public const byte PayloadFeedback = 206;

    public const int FmtNack = 1;
    public const int FmtPli = 1;
    public const int FmtFir = 4;
    public const int FmtApplication = 15;
}

/// <summary>Builds RTCP feedback and report packets into a caller's buffer; each method returns the bytes written.</summary>
internal static class RtcpWriter
{
    /// <summary>Picture Loss Indication (RFC 4585 §6.3.1): 12 bytes.</summary>
    public static int WritePli(Span<byte> buffer, uint senderSsrc, uint mediaSsrc)
    {
        WriteHeader(buffer, RtcpType.FmtPli, RtcpType.PayloadFeedback, 2);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[8..], mediaSsrc);
        return 12;
    }

    /// <summary>Full Intra Request (RFC 5104 §4.3.1): 20 bytes, one FCI entry.</summary>
    public static int WriteFir(Span<byte> buffer, uint senderSsrc, uint mediaSsrc, byte sequenceNumber)
    {
        WriteHeader(buffer, RtcpType.FmtFir, RtcpType.PayloadFeedback, 4);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[8..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[12..], mediaSsrc);
        buffer[16] = sequenceNumber;
        buffer[17] = 0;
        buffer[18] = 0;
        buffer[19] = 0;
        return 20;
    }

    /// <summary>Generic NACK (RFC 4585 §6.2.1) with one FCI: packet id + bitmask of the following 16.</summary>
    public static int WriteNack(Span<byte> buffer, uint senderSsrc, uint mediaSsrc, ushort packetId, ushort lostBitmask)
    {
        WriteHeader(buffer, RtcpType.FmtNack, RtcpType.TransportFeedback, 3);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[8..], mediaSsrc);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[12..], packetId);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[14..], lostBitmask);
        return 16;
    }

    /// <summary>REMB (draft-alvestrand-rmcat-remb §2.2): caps the publisher's bitrate for the listed SSRCs.</summary>
    public static int WriteRemb(Span<byte> buffer, uint senderSsrc, ulong bitrate, ReadOnlySpan<uint> ssrcs)
    {
        var exponent = 0;
        var mantissa = bitrate;
        while (mantissa > 0x3FFFF)
        {
            mantissa >>= 1;
            exponent++;
        }

        var words = 4 + ssrcs.Length;
        WriteHeader(buffer, RtcpType.FmtApplication, RtcpType.PayloadFeedback, words);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[8..], 0);
        "REMB"u8.CopyTo(buffer[12..]);
        buffer[16] = (byte)ssrcs.Length;
        buffer[17] = (byte)((exponent << 2) | (int)(mantissa >> 16));
        BinaryPrimitives.WriteUInt16BigEndian(buffer[18..], (ushort)mantissa);
        for (var i = 0; i < ssrcs.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(buffer[(20 + (4 * i))..], ssrcs[i]);
        }

        return 4 * (words + 1);
    }

    /// <summary>Receiver report (RFC 3550 §6.4.2) with up to 31 report blocks: 8 + 24 × n bytes.</summary>
    public static int WriteReceiverReport(Span<byte> buffer, uint senderSsrc, ReadOnlySpan<RtcpReportBlock> blocks)
    {
        var count = Math.Min(blocks.Length, 31);
        WriteHeader(buffer, count, RtcpType.ReceiverReport, 1 + (6 * count));
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], senderSsrc);
        for (var i = 0; i < count; i++)
        {
            var b = buffer.Slice(8 + (24 * i), 24);
            var block = blocks[i];
            BinaryPrimitives.WriteUInt32BigEndian(b, block.Ssrc);
            b[4] = block.FractionLost;
            var lost = block.CumulativeLost & 0xFF_FFFF;
            b[5] = (byte)(lost >> 16);
            b[6] = (byte)(lost >> 8);
            b[7] = (byte)lost;
            BinaryPrimitives.WriteUInt32BigEndian(b[8..], block.HighestSequence);
            BinaryPrimitives.WriteUInt32BigEndian(b[12..], block.Jitter);
            BinaryPrimitives.WriteUInt32BigEndian(b[16..], block.LastSr);
            BinaryPrimitives.WriteUInt32BigEndian(b[20..], block.DelaySinceLastSr);
        }

        return 8 + (24 * count);
    }

    /// <summary>Receiver report with no report blocks (RFC 3550 §6.4.2): 8 bytes.</summary>
    public static int WriteEmptyReceiverReport(Span<byte> buffer, uint senderSsrc)
    {
        WriteHeader(buffer, 0, RtcpType.ReceiverReport, 1);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], senderSsrc);
        return 8;
    }

    /// <summary>Sender report without report blocks (RFC 3550 §6.4.1): 28 bytes.</summary>
    public static int WriteSenderReport(Span<byte> buffer, uint senderSsrc, ulong ntpTimestamp, uint rtpTimestamp, uint packets, uint octets)
    {
        WriteHeader(buffer, 0, RtcpType.SenderReport, 6);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], senderSsrc);
        BinaryPrimitives.WriteUInt64BigEndian(buffer[8..], ntpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[16..], rtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[20..], packets);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[24..], octets);
        return 28;
    }

    private static void WriteHeader(Span<byte> buffer, int countOrFormat, byte packetType, int lengthWordsMinusOne)
    {
        buffer[0] = (byte)(0x80 | (countOrFormat & 0x1F));
        buffer[1] = packetType;
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], (ushort)lengthWordsMinusOne);
    }
}
