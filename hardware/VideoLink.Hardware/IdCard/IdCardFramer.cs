using System.Buffers.Binary;
using VideoLink.Hardware.Framing;

namespace VideoLink.Hardware.IdCard;

/// <summary>
/// China 2nd-generation resident ID card reader (GA 467 style SAM interface): preamble
/// <c>AA AA AA 96 69</c>, length (2 B big-endian, counts everything after it including the check byte),
/// body, check = XOR of every byte after the 5-byte preamble except itself.
/// </summary>
public sealed class IdCardFramer : IFrameDecoder
{
    /// <summary>The 5-byte preamble.</summary>
    public static ReadOnlySpan<byte> Preamble => [0xAA, 0xAA, 0xAA, 0x96, 0x69];

    /// <summary>The shared instance.</summary>
    public static IdCardFramer Instance { get; } = new();

    /// <inheritdoc />
    public int MaxFrameLength => 7 + 2400;

    /// <summary>XOR of <paramref name="data"/>.</summary>
    public static byte Xor(ReadOnlySpan<byte> data)
    {
        byte x = 0;
        foreach (byte b in data)
        {
            x ^= b;
        }

        return x;
    }

    /// <summary>Builds a packet around <paramref name="body"/> (CMD PARA data, or SW1 SW2 SW3 data).</summary>
    public static byte[] Build(ReadOnlySpan<byte> body)
    {
        var packet = new byte[7 + body.Length + 1];
        Preamble.CopyTo(packet);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(5), (ushort)(body.Length + 1));
        body.CopyTo(packet.AsSpan(7));
        packet[^1] = Xor(packet.AsSpan(5, 2 + body.Length));
        return packet;
    }

    /// <summary>The body between the length and the check byte of a framed packet.</summary>
    public static ReadOnlySpan<byte> Body(ReadOnlySpan<byte> packet) => packet[7..^1];

    /// <inheritdoc />
    public bool TryReadFrame(ReadOnlySpan<byte> buffer, out Range frame, out int consumed)
    {
        int firstIncomplete = -1;
        int offset = 0;
        while (offset < buffer.Length)
        {
            int found = IndexOfPreamble(buffer[offset..]);
            if (found < 0)
            {
                break;
            }

            int start = offset + found;
            var rest = buffer[start..];
            if (rest.Length < 7)
            {
                firstIncomplete = firstIncomplete < 0 ? start : firstIncomplete;
                break;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(rest[5..]);
            if (length is >= 2 and <= 2400)
            {
                int total = 7 + length;
                if (rest.Length < total)
                {
                    firstIncomplete = firstIncomplete < 0 ? start : firstIncomplete;
                }
                else if (Xor(rest[5..(total - 1)]) == rest[total - 1])
                {
                    frame = start..(start + total);
                    consumed = start + total;
                    return true;
                }
            }

            offset = start + 1;
        }

        frame = default;
        if (firstIncomplete >= 0)
        {
            consumed = firstIncomplete;
        }
        else
        {
            // Keep a tail that may be the start of a preamble split across reads.
            int keep = 0;
            for (int k = Math.Min(4, buffer.Length); k > 0; k--)
            {
                if (buffer[^k..].SequenceEqual(Preamble[..k]))
                {
                    keep = k;
                    break;
                }
            }

            consumed = buffer.Length - keep;
        }

        return false;
    }

    private static int IndexOfPreamble(ReadOnlySpan<byte> data) => data.IndexOf(Preamble);
}
