using VideoLink.Hardware.Framing;

namespace VideoLink.Hardware.Lcus;

/// <summary>LCUS (CH340) USB relay boards: 4 bytes <c>A0 channel op sum</c>, sum = (A0 + channel + op) mod 256.</summary>
public sealed class LcusFramer : IFrameDecoder
{
    /// <summary>Frame length.</summary>
    public const int FrameLength = 4;

    /// <summary>The shared instance.</summary>
    public static LcusFramer Instance { get; } = new();

    /// <inheritdoc />
    public int MaxFrameLength => FrameLength;

    /// <summary>Builds <c>A0 ch op sum</c>.</summary>
    public static byte[] Build(byte channel, bool on)
    {
        byte op = on ? (byte)1 : (byte)0;
        return [0xA0, channel, op, (byte)(0xA0 + channel + op)];
    }

    /// <inheritdoc />
    public bool TryReadFrame(ReadOnlySpan<byte> buffer, out Range frame, out int consumed)
    {
        int start = 0;
        while (true)
        {
            int sync = buffer[start..].IndexOf((byte)0xA0);
            if (sync < 0)
            {
                frame = default;
                consumed = buffer.Length;
                return false;
            }

            start += sync;
            if (buffer.Length - start < FrameLength)
            {
                frame = default;
                consumed = start;
                return false;
            }

            var c = buffer.Slice(start, FrameLength);
            if ((byte)(c[0] + c[1] + c[2]) == c[3])
            {
                frame = start..(start + FrameLength);
                consumed = start + FrameLength;
                return true;
            }

            start++;
        }
    }
}
