using VideoLink.Hardware.Framing;

namespace VideoLink.Hardware.Visca;

/// <summary>
/// VISCA packets (Sony VISCA command list, "Communication format"): a header byte with the high bit
/// set (<c>8x</c> to a camera, <c>x0+8</c> from one), 1–14 body bytes, terminator <c>FF</c>; 3–16 bytes.
/// </summary>
public sealed class ViscaFramer : IFrameDecoder
{
    /// <summary>VISCA's longest packet.</summary>
    public const int MaxPacketLength = 16;

    /// <summary>The shared instance (the framer is stateless).</summary>
    public static ViscaFramer Instance { get; } = new();

    /// <inheritdoc />
    public int MaxFrameLength => MaxPacketLength;

    /// <inheritdoc />
    public bool TryReadFrame(ReadOnlySpan<byte> buffer, out Range frame, out int consumed)
    {
        int start = 0;
        while (true)
        {
            // Resync: a packet starts at a header byte (80–FE); stray terminators or body bytes are garbage.
            while (start < buffer.Length && (buffer[start] < 0x80 || buffer[start] == 0xFF))
            {
                start++;
            }

            var rest = buffer[start..];
            int end = rest.IndexOf((byte)0xFF);
            if (end < 0)
            {
                if (rest.Length >= MaxPacketLength)
                {
                    start++;
                    continue;
                }

                frame = default;
                consumed = start;
                return false;
            }

            if (end + 1 < 3 || end + 1 > MaxPacketLength)
            {
                // Too short (header + FF) or too long: not a packet, skip this header byte.
                start++;
                continue;
            }

            frame = start..(start + end + 1);
            consumed = start + end + 1;
            return true;
        }
    }
}

/// <summary>
/// VISCA over IP (Sony "VISCA over IP" spec, UDP 52381): 8-byte header — payload type (2 B),
/// payload length (2 B), sequence number (4 B), big-endian — then the VISCA or control payload.
/// </summary>
public sealed class ViscaIpFramer : IFrameDecoder
{
    /// <summary>Header length.</summary>
    public const int HeaderLength = 8;

    /// <summary>The shared instance.</summary>
    public static ViscaIpFramer Instance { get; } = new();

    /// <inheritdoc />
    public int MaxFrameLength => HeaderLength + ViscaFramer.MaxPacketLength;

    /// <inheritdoc />
    public bool TryReadFrame(ReadOnlySpan<byte> buffer, out Range frame, out int consumed)
    {
        int start = 0;
        while (buffer.Length - start >= HeaderLength)
        {
            var header = buffer[start..];
            ushort type = (ushort)((header[0] << 8) | header[1]);
            int length = (header[2] << 8) | header[3];
            bool knownType = type is ViscaIp.Command or ViscaIp.Inquiry or ViscaIp.Reply or ViscaIp.Control or ViscaIp.ControlReply or ViscaIp.DeviceSetting;
            if (!knownType || length is < 1 or > ViscaFramer.MaxPacketLength)
            {
                start++;
                continue;
            }

            if (header.Length < HeaderLength + length)
            {
                break;
            }

            frame = start..(start + HeaderLength + length);
            consumed = start + HeaderLength + length;
            return true;
        }

        frame = default;
        consumed = start;
        return false;
    }
}
