using System.Buffers.Binary;

namespace VideoLink.Media.Rtp;

/// <summary>One packet inside a compound RTCP datagram (RFC 3550 §6.1), as offsets into it.</summary>
internal readonly struct RtcpPacket
{
    public byte PacketType { get; init; }

    /// <summary>Report count, or FMT for feedback packets (RFC 4585 §6.1).</summary>
    public int CountOrFormat { get; init; }

    public int Offset { get; init; }

    public int Length { get; init; }

    public uint SenderSsrc { get; init; }

    /// <summary>Media source SSRC for feedback packets (RFC 4585 §6.1), else 0.</summary>
    public uint MediaSsrc { get; init; }

    public bool IsPli => PacketType == RtcpType.PayloadFeedback && CountOrFormat == RtcpType.FmtPli;

    public bool IsFir => PacketType == RtcpType.PayloadFeedback && CountOrFormat == RtcpType.FmtFir;

    public bool IsNack => PacketType == RtcpType.TransportFeedback && CountOrFormat == RtcpType.FmtNack;

    public bool IsRemb(ReadOnlySpan<byte> datagram) =>
        PacketType == RtcpType.PayloadFeedback && CountOrFormat == RtcpType.FmtApplication && Length >= 20
        && datagram.Slice(Offset + 12, 4).SequenceEqual("REMB"u8);

    public ReadOnlySpan<byte> Body(ReadOnlySpan<byte> datagram) => datagram.Slice(Offset, Length);
}

/// <summary>A report block of an SR or RR (RFC 3550 §6.4.1).</summary>
internal readonly record struct RtcpReportBlock(uint Ssrc, byte FractionLost, int CumulativeLost, uint HighestSequence, uint Jitter, uint LastSr, uint DelaySinceLastSr);

/// <summary>Walks a compound RTCP datagram without copying; stops (returns false) at the first malformed packet.</summary>
internal ref struct RtcpReader
{
    private readonly ReadOnlySpan<byte> _datagram;
    private int _offset;

    public RtcpReader(ReadOnlySpan<byte> datagram) => _datagram = datagram;

    /// <summary>Set when the reader stopped on a malformed packet rather than at the end.</summary>
    public bool Malformed { get; private set; }

    public bool TryRead(out RtcpPacket packet)
    {
        packet = default;
        if (_offset >= _datagram.Length)
        {
            return false;
        }

        var rest = _datagram[_offset..];
        if (rest.Length < 8 || (rest[0] >> 6) != 2)
        {
            Malformed = true;
            return false;
        }

        var length = 4 * (BinaryPrimitives.ReadUInt16BigEndian(rest[2..]) + 1);
        if (length > rest.Length)
        {
            Malformed = true;
            return false;
        }

        var type = rest[1];
        var isFeedback = type is RtcpType.TransportFeedback or RtcpType.PayloadFeedback;
        packet = new RtcpPacket
        {
            PacketType = type,
            CountOrFormat = rest[0] & 0x1F,
            Offset = _offset,
            Length = length,
            SenderSsrc = BinaryPrimitives.ReadUInt32BigEndian(rest[4..]),
            MediaSsrc = isFeedback && length >= 12 ? BinaryPrimitives.ReadUInt32BigEndian(rest[8..]) : 0,
        };
        _offset += length;
        return true;
    }

    /// <summary>Report blocks of an SR (after 28 bytes) or RR (after 8 bytes).</summary>
    public static int ReadReportBlocks(ReadOnlySpan<byte> datagram, RtcpPacket packet, Span<RtcpReportBlock> blocks)
    {
        var start = packet.PacketType switch
        {
            RtcpType.SenderReport => 28,
            RtcpType.ReceiverReport => 8,
            _ => -1,
        };
        if (start < 0)
        {
            return 0;
        }

        var body = packet.Body(datagram);
        var count = 0;
        for (var i = 0; i < packet.CountOrFormat && count < blocks.Length; i++)
        {
            var at = start + (24 * i);
            if (at + 24 > body.Length)
            {
                break;
            }

            var b = body.Slice(at, 24);
            var lost = (b[5] << 16) | (b[6] << 8) | b[7];
            if ((lost & 0x80_0000) != 0)
            {
                lost -= 0x100_0000; // 24-bit signed
            }

            blocks[count++] = new RtcpReportBlock(
                BinaryPrimitives.ReadUInt32BigEndian(b),
                b[4],
                lost,
                BinaryPrimitives.ReadUInt32BigEndian(b[8..]),
                BinaryPrimitives.ReadUInt32BigEndian(b[12..]),
                BinaryPrimitives.ReadUInt32BigEndian(b[16..]),
                BinaryPrimitives.ReadUInt32BigEndian(b[20..]));
        }

        return count;
    }

    /// <summary>Lost sequence numbers listed in a generic NACK (RFC 4585 §6.2.1).</summary>
    public static int ReadNack(ReadOnlySpan<byte> datagram, RtcpPacket packet, Span<ushort> lost)
    {
        var body = packet.Body(datagram);
        var count = 0;
        for (var at = 12; at + 4 <= body.Length; at += 4)
        {
            var pid = BinaryPrimitives.ReadUInt16BigEndian(body[at..]);
            var blp = BinaryPrimitives.ReadUInt16BigEndian(body[(at + 2)..]);
            if (count < lost.Length)
            {
                lost[count++] = pid;
            }

            for (var bit = 0; bit < 16; bit++)
            {
                if ((blp & (1 << bit)) != 0 && count < lost.Length)
                {
                    lost[count++] = (ushort)(pid + bit + 1);
                }
            }
        }

        return count;
    }

    /// <summary>Bitrate of a REMB (draft-alvestrand-rmcat-remb §2.2), in bits per second.</summary>
    public static ulong ReadRembBitrate(ReadOnlySpan<byte> datagram, RtcpPacket packet)
    {
        var body = packet.Body(datagram);
        var exponent = body[17] >> 2;
        var mantissa = ((ulong)(body[17] & 0x03) << 16) | ((ulong)body[18] << 8) | body[19];
        return mantissa << exponent;
    }
}
