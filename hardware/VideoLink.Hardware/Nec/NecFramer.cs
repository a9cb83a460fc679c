using VideoLink.Hardware.Framing;

namespace VideoLink.Hardware.Nec;

/// <summary>
/// NEC large-screen displays (NEC "External Control" manual): header <c>SOH '0' dest src type len(2 ASCII hex)</c>,
/// message <c>STX … ETX</c> (len counts STX to ETX), then BCC (XOR of every byte after SOH through ETX) and CR.
/// </summary>
public sealed class NecFramer : IFrameDecoder
{
    /// <summary>Start of header.</summary>
    public const byte Soh = 0x01;

    /// <summary>Start of text.</summary>
    public const byte Stx = 0x02;

    /// <summary>End of text.</summary>
    public const byte Etx = 0x03;

    /// <summary>Delimiter.</summary>
    public const byte Cr = 0x0D;

    private const int HeaderLength = 7;

    /// <summary>The shared instance.</summary>
    public static NecFramer Instance { get; } = new();

    /// <inheritdoc />
    public int MaxFrameLength => HeaderLength + 255 + 2;

    /// <summary>XOR of <paramref name="afterSohThroughEtx"/>.</summary>
    public static byte Bcc(ReadOnlySpan<byte> afterSohThroughEtx)
    {
        byte bcc = 0;
        foreach (byte b in afterSohThroughEtx)
        {
            bcc ^= b;
        }

        return bcc;
    }

    /// <summary>Builds a packet: <paramref name="destination"/> 'A' = monitor 1, source '0' = controller.</summary>
    public static byte[] Build(byte destination, byte messageType, ReadOnlySpan<byte> messageBody, byte source = (byte)'0')
    {
        int messageLength = messageBody.Length + 2;
        var packet = new byte[HeaderLength + messageLength + 2];
        packet[0] = Soh;
        packet[1] = (byte)'0';
        packet[2] = destination;
        packet[3] = source;
        packet[4] = messageType;
        packet[5] = (byte)"0123456789ABCDEF"[messageLength >> 4];
        packet[6] = (byte)"0123456789ABCDEF"[messageLength & 0xF];
        packet[7] = Stx;
        messageBody.CopyTo(packet.AsSpan(8));
        packet[8 + messageBody.Length] = Etx;
        packet[^2] = Bcc(packet.AsSpan(1, HeaderLength - 1 + messageLength));
        packet[^1] = Cr;
        return packet;
    }

    /// <inheritdoc />
    public bool TryReadFrame(ReadOnlySpan<byte> buffer, out Range frame, out int consumed)
    {
        int firstIncomplete = -1;
        int start = buffer.IndexOf(Soh);
        while (start >= 0)
        {
            var rest = buffer[start..];
            if (rest.Length < HeaderLength)
            {
                firstIncomplete = firstIncomplete < 0 ? start : firstIncomplete;
                break;
            }

            if (TryHex(rest[5], rest[6], out int messageLength) && messageLength >= 2)
            {
                int total = HeaderLength + messageLength + 2;
                if (rest.Length < total)
                {
                    firstIncomplete = firstIncomplete < 0 ? start : firstIncomplete;
                }
                else if (rest[HeaderLength] == Stx && rest[HeaderLength + messageLength - 1] == Etx
                    && rest[total - 1] == Cr && Bcc(rest[1..(HeaderLength + messageLength)]) == rest[total - 2])
                {
                    frame = start..(start + total);
                    consumed = start + total;
                    return true;
                }
            }

            int next = buffer[(start + 1)..].IndexOf(Soh);
            start = next < 0 ? -1 : start + 1 + next;
        }

        frame = default;
        consumed = firstIncomplete < 0 ? buffer.Length : firstIncomplete;
        return false;
    }

    private static bool TryHex(byte high, byte low, out int value)
    {
        int h = HexValue(high);
        int l = HexValue(low);
        value = (h << 4) | l;
        return h >= 0 && l >= 0;
    }

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        _ => -1,
    };
}
