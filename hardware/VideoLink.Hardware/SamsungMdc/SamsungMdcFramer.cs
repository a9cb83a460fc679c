using VideoLink.Hardware.Framing;

namespace VideoLink.Hardware.SamsungMdc;

/// <summary>
/// Samsung MDC (Multiple Display Control protocol guide): <c>AA cmd id len data… cs</c>, cs = sum of
/// all bytes after the <c>AA</c> header mod 256. Replies are <c>AA FF id len 'A'|'N' rcmd data… cs</c>.
/// </summary>
public sealed class SamsungMdcFramer : IFrameDecoder
{
    /// <summary>Header byte.</summary>
    public const byte Header = 0xAA;

    /// <summary>The shared instance.</summary>
    public static SamsungMdcFramer Instance { get; } = new();

    /// <inheritdoc />
    public int MaxFrameLength => 5 + 255;

    /// <summary>Sum of <paramref name="afterHeader"/> mod 256.</summary>
    public static byte Checksum(ReadOnlySpan<byte> afterHeader)
    {
        int sum = 0;
        foreach (byte b in afterHeader)
        {
            sum += b;
        }

        return (byte)sum;
    }

    /// <summary>Builds <c>AA cmd id len data cs</c>.</summary>
    public static byte[] Build(byte command, byte displayId, ReadOnlySpan<byte> data)
    {
        var message = new byte[5 + data.Length];
        message[0] = Header;
        message[1] = command;
        message[2] = displayId;
        message[3] = (byte)data.Length;
        data.CopyTo(message.AsSpan(4));
        message[^1] = Checksum(message.AsSpan(1, 3 + data.Length));
        return message;
    }

    /// <inheritdoc />
    public bool TryReadFrame(ReadOnlySpan<byte> buffer, out Range frame, out int consumed)
    {
        // Every AA is a candidate; an incomplete one is kept (need more bytes) but a later complete,
        // valid frame wins, so a garbage AA with a large length byte cannot stall the stream.
        int firstIncomplete = -1;
        for (int start = buffer.IndexOf(Header); start >= 0; start = NextHeader(buffer, start))
        {
            if (buffer.Length - start < 4)
            {
                firstIncomplete = firstIncomplete < 0 ? start : firstIncomplete;
                break;
            }

            int total = 5 + buffer[start + 3];
            if (buffer.Length - start < total)
            {
                firstIncomplete = firstIncomplete < 0 ? start : firstIncomplete;
                continue;
            }

            var candidate = buffer.Slice(start, total);
            if (Checksum(candidate[1..^1]) == candidate[^1])
            {
                frame = start..(start + total);
                consumed = start + total;
                return true;
            }
        }

        frame = default;
        consumed = firstIncomplete < 0 ? buffer.Length : firstIncomplete;
        return false;
    }

    private static int NextHeader(ReadOnlySpan<byte> buffer, int current)
    {
        int next = buffer[(current + 1)..].IndexOf(Header);
        return next < 0 ? -1 : current + 1 + next;
    }
}
