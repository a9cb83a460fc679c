using System.Buffers.Binary;

namespace VideoLink.LoadGen.Measure;

/// <summary>
/// The last 16 bytes of every payload the publisher sends: a magic number, the publisher's packet index and the send
/// time (<see cref="System.Diagnostics.Stopwatch"/> ticks). Forwarders treat them as opaque slice/audio data, and
/// every receiver lives in the same process, so delay is one clock minus itself — no clock sync involved.
/// </summary>
internal static class PacketStamp
{
    public const int Length = 16;
    private const uint Magic = 0x564C_4231; // "VLB1"

    public static void Write(Span<byte> payloadTail, uint index, long sendTicks)
    {
        BinaryPrimitives.WriteUInt32BigEndian(payloadTail, Magic);
        BinaryPrimitives.WriteUInt32BigEndian(payloadTail[4..], index);
        BinaryPrimitives.WriteInt64BigEndian(payloadTail[8..], sendTicks);
    }

    public static bool TryRead(ReadOnlySpan<byte> payload, out uint index, out long sendTicks)
    {
        if (payload.Length < Length || BinaryPrimitives.ReadUInt32BigEndian(payload[^Length..]) != Magic)
        {
            index = 0;
            sendTicks = 0;
            return false;
        }

        index = BinaryPrimitives.ReadUInt32BigEndian(payload[^12..]);
        sendTicks = BinaryPrimitives.ReadInt64BigEndian(payload[^8..]);
        return true;
    }
}
