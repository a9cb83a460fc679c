using System.Buffers.Binary;

namespace VideoLink.Media.Rtp;

/// <summary>
/// A parsed RTP fixed header plus where CSRCs, the extension block and the payload sit (RFC 3550 §5.1, §5.3.1).
/// A value type of offsets: parsing copies nothing.
/// </summary>
internal readonly struct RtpHeader
{
    public const int FixedLength = 12;

    public bool Padding { get; init; }

    public bool Marker { get; init; }

    public byte PayloadType { get; init; }

    public ushort SequenceNumber { get; init; }

    public uint Timestamp { get; init; }

    public uint Ssrc { get; init; }

    public int CsrcCount { get; init; }

    /// <summary>Profile of the extension block (0xBEDE one-byte, 0x100x two-byte, RFC 8285 §4), 0 if none.</summary>
    public ushort ExtensionProfile { get; init; }

    public int ExtensionOffset { get; init; }

    public int ExtensionLength { get; init; }

    /// <summary>Bytes before the payload.</summary>
    public int HeaderLength { get; init; }

    /// <summary>Payload length without padding.</summary>
    public int PayloadLength { get; init; }

    public static bool TryParse(ReadOnlySpan<byte> packet, out RtpHeader header)
    {
        header = default;
        if (packet.Length < FixedLength || (packet[0] >> 6) != 2)
        {
            return false;
        }

        var csrcs = packet[0] & 0x0F;
        var offset = FixedLength + (4 * csrcs);
        ushort profile = 0;
        int extensionOffset = 0, extensionLength = 0;
        if ((packet[0] & 0x10) != 0)
        {
            if (packet.Length < offset + 4)
            {
                return false;
            }

            profile = BinaryPrimitives.ReadUInt16BigEndian(packet[offset..]);
            extensionLength = 4 * BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 2)..]);
            extensionOffset = offset + 4;
            offset = extensionOffset + extensionLength;
        }

        if (offset > packet.Length)
        {
            return false;
        }

        var padding = (packet[0] & 0x20) != 0;
        var payloadLength = packet.Length - offset;
        if (padding)
        {
            // RFC 3550 §5.1: the last octet counts the padding, itself included.
            var pad = packet[^1];
            if (pad == 0 || pad > payloadLength)
            {
                return false;
            }

            payloadLength -= pad;
        }

        header = new RtpHeader
        {
            Padding = padding,
            Marker = (packet[1] & 0x80) != 0,
            PayloadType = (byte)(packet[1] & 0x7F),
            SequenceNumber = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]),
            Timestamp = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]),
            Ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[8..]),
            CsrcCount = csrcs,
            ExtensionProfile = profile,
            ExtensionOffset = extensionOffset,
            ExtensionLength = extensionLength,
            HeaderLength = offset,
            PayloadLength = payloadLength,
        };
        return true;
    }

    public ReadOnlySpan<byte> Payload(ReadOnlySpan<byte> packet) => packet.Slice(HeaderLength, PayloadLength);

    /// <summary>
    /// Finds a header extension element by id in one-byte (RFC 8285 §4.2) or two-byte (§4.3) form.
    /// </summary>
    public bool TryGetExtension(ReadOnlySpan<byte> packet, int id, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (ExtensionLength == 0 || id <= 0)
        {
            return false;
        }

        var block = packet.Slice(ExtensionOffset, ExtensionLength);
        var oneByte = ExtensionProfile == 0xBEDE;
        var twoByte = (ExtensionProfile & 0xFFF0) == 0x1000;
        if (!oneByte && !twoByte)
        {
            return false;
        }

        var i = 0;
        while (i < block.Length)
        {
            if (block[i] == 0)
            {
                i++; // padding
                continue;
            }

            int elementId, length;
            if (oneByte)
            {
                elementId = block[i] >> 4;
                length = (block[i] & 0x0F) + 1;
                if (elementId == 15)
                {
                    return false; // reserved: stop processing (RFC 8285 §4.2)
                }

                i++;
            }
            else
            {
                if (i + 1 >= block.Length)
                {
                    return false;
                }

                elementId = block[i];
                length = block[i + 1];
                i += 2;
            }

            if (i + length > block.Length)
            {
                return false;
            }

            if (elementId == id)
            {
                value = block.Slice(i, length);
                return true;
            }

            i += length;
        }

        return false;
    }
}

/// <summary>Writes RTP headers, optionally with one-byte header extensions (RFC 8285 §4.2).</summary>
internal static class RtpWriter
{
    public static int WriteHeader(Span<byte> buffer, bool marker, byte payloadType, ushort sequence, uint timestamp, uint ssrc)
    {
        buffer[0] = 0x80;
        buffer[1] = (byte)((marker ? 0x80 : 0) | (payloadType & 0x7F));
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], sequence);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[8..], ssrc);
        return RtpHeader.FixedLength;
    }

    /// <summary>
    /// Writes a header with a one-byte extension block holding sdes:mid (RFC 8843 §15.2) and/or abs-send-time
    /// (24-bit 6.18 fixed-point seconds). Pass id 0 to leave one out. Returns the header length.
    /// </summary>
    public static int WriteHeaderWithExtensions(
        Span<byte> buffer, bool marker, byte payloadType, ushort sequence, uint timestamp, uint ssrc,
        int midId, ReadOnlySpan<byte> mid, int absSendTimeId, uint absSendTime)
    {
        WriteHeader(buffer, marker, payloadType, sequence, timestamp, ssrc);
        if (midId == 0 && absSendTimeId == 0)
        {
            return RtpHeader.FixedLength;
        }

        buffer[0] |= 0x10;
        BinaryPrimitives.WriteUInt16BigEndian(buffer[12..], 0xBEDE);
        var i = 16;
        if (midId > 0 && mid.Length is > 0 and <= 16)
        {
            buffer[i++] = (byte)((midId << 4) | (mid.Length - 1));
            mid.CopyTo(buffer[i..]);
            i += mid.Length;
        }

        if (absSendTimeId > 0)
        {
            buffer[i++] = (byte)((absSendTimeId << 4) | 2);
            buffer[i++] = (byte)(absSendTime >> 16);
            buffer[i++] = (byte)(absSendTime >> 8);
            buffer[i++] = (byte)absSendTime;
        }

        while ((i & 3) != 0)
        {
            buffer[i++] = 0;
        }

        BinaryPrimitives.WriteUInt16BigEndian(buffer[14..], (ushort)((i - 16) / 4));
        return i;
    }
}
