using VideoLink.Hardware.Framing;

namespace VideoLink.Hardware.Em4100;

/// <summary>
/// RDM6300-style 125 kHz EM4100 reader output (RDM6300 datasheet): <c>02</c>, 10 ASCII hex data
/// characters (version + 4-byte tag), 2 ASCII hex characters of checksum (XOR of the 5 data bytes), <c>03</c>.
/// </summary>
public sealed class Em4100Framer : IFrameDecoder
{
    /// <summary>Frame length.</summary>
    public const int FrameLength = 14;

    /// <summary>The shared instance.</summary>
    public static Em4100Framer Instance { get; } = new();

    /// <inheritdoc />
    public int MaxFrameLength => FrameLength;

    /// <summary>Builds a reader frame for a 5-byte tag (what a card produces).</summary>
    public static byte[] Build(ReadOnlySpan<byte> tag)
    {
        if (tag.Length != 5)
        {
            throw new ArgumentException("An EM4100 tag has 5 bytes.", nameof(tag));
        }

        byte check = 0;
        foreach (byte b in tag)
        {
            check ^= b;
        }

        string ascii = Convert.ToHexString(tag) + check.ToString("X2", System.Globalization.CultureInfo.InvariantCulture);
        var frame = new byte[FrameLength];
        frame[0] = 0x02;
        for (int i = 0; i < 12; i++)
        {
            frame[1 + i] = (byte)ascii[i];
        }

        frame[^1] = 0x03;
        return frame;
    }

    /// <summary>Decodes a validated frame into its 5 tag bytes.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> frame, out ulong tag)
    {
        tag = 0;
        if (frame.Length != FrameLength || frame[0] != 0x02 || frame[^1] != 0x03)
        {
            return false;
        }

        byte check = 0;
        for (int i = 0; i < 6; i++)
        {
            int high = Hex(frame[1 + (2 * i)]);
            int low = Hex(frame[2 + (2 * i)]);
            if (high < 0 || low < 0)
            {
                return false;
            }

            byte value = (byte)((high << 4) | low);
            if (i < 5)
            {
                tag = (tag << 8) | value;
                check ^= value;
            }
            else if (value != check)
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public bool TryReadFrame(ReadOnlySpan<byte> buffer, out Range frame, out int consumed)
    {
        int start = 0;
        while (true)
        {
            int stx = buffer[start..].IndexOf((byte)0x02);
            if (stx < 0)
            {
                frame = default;
                consumed = buffer.Length;
                return false;
            }

            start += stx;
            if (buffer.Length - start < FrameLength)
            {
                frame = default;
                consumed = start;
                return false;
            }

            if (TryDecode(buffer.Slice(start, FrameLength), out _))
            {
                frame = start..(start + FrameLength);
                consumed = start + FrameLength;
                return true;
            }

            start++;
        }
    }

    private static int Hex(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        _ => -1,
    };
}
