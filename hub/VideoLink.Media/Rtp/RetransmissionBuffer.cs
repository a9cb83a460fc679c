namespace VideoLink.Media.Rtp;

/// <summary>
/// The last packets sent on one outgoing stream, by sequence number, so a receiver's generic NACK (RFC 4585 §6.2.1)
/// can be answered from memory. A fixed ring of preallocated slots: storing and fetching allocate nothing.
/// Thread-safe (the forwarder stores from the publisher's receive path and answers NACKs from the subscriber's).
/// </summary>
internal sealed class RetransmissionBuffer
{
    public const int DefaultSlots = 256;
    public const int MaxPacketLength = 1500;

    private readonly int _mask;
    private readonly byte[] _data;
    private readonly int[] _lengths;
    private readonly ushort[] _sequences;
    private readonly Lock _lock = new();

    public RetransmissionBuffer(int slots = DefaultSlots)
    {
        if (slots <= 0 || (slots & (slots - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(slots), "Slots must be a power of two.");
        }

        _mask = slots - 1;
        _data = new byte[slots * MaxPacketLength];
        _lengths = new int[slots];
        _sequences = new ushort[slots];
    }

    /// <summary>Remembers an RTP packet (as sent, before SRTP); packets longer than a slot are not kept.</summary>
    public void Store(ReadOnlySpan<byte> rtp)
    {
        if (rtp.Length < RtpHeader.FixedLength || rtp.Length > MaxPacketLength)
        {
            return;
        }

        var sequence = (ushort)((rtp[2] << 8) | rtp[3]);
        var slot = sequence & _mask;
        lock (_lock)
        {
            rtp.CopyTo(_data.AsSpan(slot * MaxPacketLength));
            _lengths[slot] = rtp.Length;
            _sequences[slot] = sequence;
        }
    }

    /// <summary>Copies the packet with <paramref name="sequence"/> into <paramref name="destination"/>; 0 if it is gone.</summary>
    public int TryCopy(ushort sequence, Span<byte> destination)
    {
        var slot = sequence & _mask;
        lock (_lock)
        {
            var length = _lengths[slot];
            if (length == 0 || _sequences[slot] != sequence || destination.Length < length)
            {
                return 0;
            }

            _data.AsSpan(slot * MaxPacketLength, length).CopyTo(destination);
            return length;
        }
    }
}
