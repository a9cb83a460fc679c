using System.Buffers.Binary;

namespace VideoLink.Hardware.Visca;

/// <summary>VISCA over IP payload types and packet building (Sony "VISCA over IP" communication spec).</summary>
public static class ViscaIp
{
    /// <summary>VISCA command (0x0100).</summary>
    public const ushort Command = 0x0100;

    /// <summary>VISCA inquiry (0x0110).</summary>
    public const ushort Inquiry = 0x0110;

    /// <summary>VISCA reply (0x0111).</summary>
    public const ushort Reply = 0x0111;

    /// <summary>VISCA device setting command (0x0120).</summary>
    public const ushort DeviceSetting = 0x0120;

    /// <summary>Control command (0x0200), e.g. reset sequence number.</summary>
    public const ushort Control = 0x0200;

    /// <summary>Control reply (0x0201).</summary>
    public const ushort ControlReply = 0x0201;

    /// <summary>Prefixes <paramref name="payload"/> with the 8-byte header.</summary>
    public static byte[] Wrap(ushort payloadType, uint sequence, ReadOnlySpan<byte> payload)
    {
        var packet = new byte[ViscaIpFramer.HeaderLength + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(packet, payloadType);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)payload.Length);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), sequence);
        payload.CopyTo(packet.AsSpan(ViscaIpFramer.HeaderLength));
        return packet;
    }

    /// <summary>The control command that resets the camera's expected sequence number: <c>02 00 00 01 00 00 00 00 01</c>.</summary>
    public static byte[] ResetSequence() => Wrap(Control, 0, [0x01]);

    /// <summary>Reads the header of <paramref name="packet"/>.</summary>
    public static (ushort PayloadType, uint Sequence, ReadOnlyMemory<byte> Payload) Parse(ReadOnlyMemory<byte> packet)
    {
        var span = packet.Span;
        if (span.Length < ViscaIpFramer.HeaderLength)
        {
            throw new ArgumentException("Shorter than a VISCA over IP header.", nameof(packet));
        }

        ushort type = BinaryPrimitives.ReadUInt16BigEndian(span);
        int length = BinaryPrimitives.ReadUInt16BigEndian(span[2..]);
        uint sequence = BinaryPrimitives.ReadUInt32BigEndian(span[4..]);
        return (type, sequence, packet.Slice(ViscaIpFramer.HeaderLength, Math.Min(length, span.Length - ViscaIpFramer.HeaderLength)));
    }
}
