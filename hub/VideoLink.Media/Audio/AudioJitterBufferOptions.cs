namespace VideoLink.Media.Audio;

/// <summary>Depth of an <see cref="AudioJitterBuffer"/>. Depths are whole 20 ms frames.</summary>
public sealed record AudioJitterBufferOptions
{
    public const int DefaultMinDepthMs = 40;
    public const int DefaultMaxDepthMs = 200;
    public const int DefaultInitialDepthMs = 60;

    /// <summary>The buffer holds 640 ms of audio; the depth must leave room for a 60 ms packet beyond it.</summary>
    public const int LargestDepthMs = 400;

    /// <summary>Adaptive: grow by one frame per late packet, shrink by one frame per quiet 5 s. Fixed: stay at <see cref="InitialDepthMs"/>.</summary>
    public bool Adaptive { get; init; } = true;

    /// <summary>Adaptive mode only.</summary>
    public int MinDepthMs { get; init; } = DefaultMinDepthMs;

    /// <summary>Adaptive mode only.</summary>
    public int MaxDepthMs { get; init; } = DefaultMaxDepthMs;

    /// <summary>Depth at the start of every talkspurt's anchor; the whole depth in fixed mode.</summary>
    public int InitialDepthMs { get; init; } = DefaultInitialDepthMs;

    /// <summary>Lost frames filled by repeating the last good frame with a fade to zero, before plain silence.</summary>
    public int ConcealmentFrames { get; init; } = 3;

    /// <summary>
    /// Throws <see cref="ArgumentOutOfRangeException"/> for depths that are not 20 ms multiples or (adaptive) out of order.
    /// Fixed mode uses only <see cref="InitialDepthMs"/>.
    /// </summary>
    public void Validate()
    {
        foreach (var (name, value) in new[] { (nameof(MinDepthMs), MinDepthMs), (nameof(MaxDepthMs), MaxDepthMs), (nameof(InitialDepthMs), InitialDepthMs) })
        {
            if (value < 20 || value > LargestDepthMs || value % 20 != 0)
            {
                throw new ArgumentOutOfRangeException(name, value, $"a multiple of 20 ms between 20 and {LargestDepthMs}");
            }
        }

        if (Adaptive && (MinDepthMs > MaxDepthMs || InitialDepthMs < MinDepthMs || InitialDepthMs > MaxDepthMs))
        {
            throw new ArgumentOutOfRangeException(nameof(InitialDepthMs), InitialDepthMs, "need MinDepthMs <= InitialDepthMs <= MaxDepthMs");
        }

        if (ConcealmentFrames is < 0 or > 50)
        {
            throw new ArgumentOutOfRangeException(nameof(ConcealmentFrames), ConcealmentFrames, "0–50");
        }
    }
}

/// <summary>What <see cref="AudioJitterBuffer.Push(ReadOnlySpan{short}, ushort, uint, bool)"/> did with a packet.</summary>
public enum JitterPushResult
{
    Accepted,

    /// <summary>A sequence number seen before (RTP retransmission or network duplication); dropped.</summary>
    Duplicate,

    /// <summary>Its frames were already played out; dropped.</summary>
    Late,

    /// <summary>Empty, longer than 60 ms or not a whole number of 10 ms blocks; dropped.</summary>
    Malformed,
}

/// <summary>What <see cref="AudioJitterBuffer.Pull"/> produced.</summary>
public enum JitterPullResult
{
    /// <summary>The frame was received (possibly with a 10 ms block concealed).</summary>
    Audio,

    /// <summary>The frame was lost or late: the last good frame repeated with a fade.</summary>
    Concealed,

    /// <summary>Nothing to play (before the first packet, after concealment ran out, between talkspurts): zeros.</summary>
    Silence,
}

/// <summary>Counters of one jitter buffer (a snapshot).</summary>
public readonly record struct AudioJitterBufferStatistics(
    long PacketsAccepted,
    long PacketsLate,
    long PacketsDuplicate,
    long PacketsMalformed,
    long TimestampJumps,
    long FramesPlayed,
    long FramesConcealed,
    long FramesSilent,
    long FramesDropped,
    int TargetDepthMs,
    int BufferedMs);
