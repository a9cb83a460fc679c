namespace VideoLink.LoadGen.Measure;

/// <summary>
/// The measured interval of one run, by send time: only packets the publisher sent inside it count for loss and
/// delay, so set-up, warm-up and tear-down never leak into the figures.
/// </summary>
internal sealed class MeasurementWindow
{
    private long _startTicks = long.MaxValue;
    private long _endTicks = long.MaxValue;

    /// <summary>Publisher send → arrival at the receiver's socket (kernel stamp): the delay the server adds.</summary>
    public DelayHistogram Delays { get; } = new();

    /// <summary>Publisher send → the generator's receive loop reading it: adds the generator's own scheduling.</summary>
    public DelayHistogram ReadDelays { get; } = new();

    public long StartTicks => Volatile.Read(ref _startTicks);

    public long EndTicks => Volatile.Read(ref _endTicks);

    public void Open(long ticks) => Volatile.Write(ref _startTicks, ticks);

    public void Close(long ticks) => Volatile.Write(ref _endTicks, ticks);

    public bool Contains(long sendTicks) => sendTicks >= StartTicks && sendTicks < EndTicks;
}

/// <summary>
/// What one receiver got: a bitmap of publisher packet indices (so retransmissions or duplicates never hide a loss)
/// and counters. Touched only by the receiver's own receive loop.
/// </summary>
internal sealed class ReceiverStats(int capacity)
{
    private readonly ulong[] _seen = new ulong[(capacity + 63) / 64];

    public long Packets { get; private set; }

    public long Duplicates { get; private set; }

    public long SrtpFailures { get; set; }

    /// <summary>Packets whose stamp was read without the full SRTP check (<see cref="Peers.LoadPeer.VerifyEvery"/>).</summary>
    public long Unverified { get; set; }

    public void OnPacket(uint index, long sendTicks, long arrivedTicks, long readTicks, bool timed, MeasurementWindow window)
    {
        if (index >= (uint)capacity)
        {
            return;
        }

        ref var word = ref _seen[index >> 6];
        var bit = 1UL << (int)(index & 63);
        if ((word & bit) != 0)
        {
            Duplicates++;
            return;
        }

        word |= bit;
        Packets++;
        if (timed)
        {
            window.Delays.Record(arrivedTicks - sendTicks);
            window.ReadDelays.Record(readTicks - sendTicks);
        }
    }

    /// <summary>How many distinct indices in [first, last] arrived.</summary>
    public long CountSeen(uint first, uint last)
    {
        long count = 0;
        for (var i = first; i <= last && i < (uint)capacity; i++)
        {
            if ((_seen[i >> 6] & (1UL << (int)(i & 63))) != 0)
            {
                count++;
            }
        }

        return count;
    }
}
