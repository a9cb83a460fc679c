using VideoLink.Hardware.Framing;

namespace VideoLink.Hardware.PelcoD;

/// <summary>
/// Pelco-D: fixed 7 bytes <c>FF addr cmd1 cmd2 data1 data2 sum</c>, sum = bytes 2–6 mod 256
/// (Pelco D protocol manual, "Message format"). A bad checksum drops the sync byte and resyncs.
/// </summary>
public sealed class PelcoDFramer : IFrameDecoder
{
    /// <summary>Length of every Pelco-D message.</summary>
    public const int MessageLength = 7;

    /// <summary>The shared instance.</summary>
    public static PelcoDFramer Instance { get; } = new();

    /// <inheritdoc />
    public int MaxFrameLength => MessageLength;

    /// <summary>Sum of address, commands and data, mod 256.</summary>
    public static byte Checksum(ReadOnlySpan<byte> addressToData)
    {
        int sum = 0;
        foreach (byte b in addressToData)
        {
            sum += b;
        }

        return (byte)sum;
    }

    /// <summary>Builds a full message for <paramref name="address"/>.</summary>
    public static byte[] Build(byte address, byte command1, byte command2, byte data1, byte data2)
    {
        byte[] message = [0xFF, address, command1, command2, data1, data2, 0];
        message[6] = Checksum(message.AsSpan(1, 5));
        return message;
    }

    /// <inheritdoc />
    public bool TryReadFrame(ReadOnlySpan<byte> buffer, out Range frame, out int consumed)
    {
        int start = 0;
        while (true)
        {
            int sync = buffer[start..].IndexOf((byte)0xFF);
            if (sync < 0)
            {
                frame = default;
                consumed = buffer.Length;
                return false;
            }

            start += sync;
            if (buffer.Length - start < MessageLength)
            {
                frame = default;
                consumed = start;
                return false;
            }

            var candidate = buffer.Slice(start, MessageLength);
            if (Checksum(candidate.Slice(1, 5)) == candidate[6])
            {
                frame = start..(start + MessageLength);
                consumed = start + MessageLength;
                return true;
            }

            start++;
        }
    }
}
