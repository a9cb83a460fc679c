namespace VideoLink.Media.Audio;

/// <summary>Settings of a <see cref="ConferenceMixer"/>; defaults are named constants.</summary>
public sealed record ConferenceMixerOptions
{
    public const double DefaultSpeakerThresholdDbov = -40;
    public const int DefaultSpeakerHoldMs = 400;
    public const double DefaultSpeakerMarginDb = 3;
    public const int DefaultDtmfEndTimeoutMs = 1000;
    public const double DefaultLevelSmoothing = 0.25;

    public AudioJitterBufferOptions JitterBuffer { get; init; } = new();

    /// <summary>A leg quieter than this (smoothed level) never becomes the active speaker.</summary>
    public double SpeakerThresholdDbov { get; init; } = DefaultSpeakerThresholdDbov;

    /// <summary>How long a leg must be the loudest (and above the threshold) before it becomes the speaker.</summary>
    public TimeSpan SpeakerHoldTime { get; init; } = TimeSpan.FromMilliseconds(DefaultSpeakerHoldMs);

    /// <summary>While the current speaker is above the threshold, a challenger must be this much louder.</summary>
    public double SpeakerMarginDb { get; init; } = DefaultSpeakerMarginDb;

    /// <summary>An RFC 4733 event without an end packet ends after this long without packets.</summary>
    public TimeSpan DtmfEndTimeout { get; init; } = TimeSpan.FromMilliseconds(DefaultDtmfEndTimeoutMs);

    /// <summary>Weight of the newest frame's power in the level's exponential average (0–1; 0.25 ≈ 80 ms).</summary>
    public double LevelSmoothing { get; init; } = DefaultLevelSmoothing;

    public void Validate()
    {
        JitterBuffer.Validate();
        if (SpeakerHoldTime < TimeSpan.Zero || DtmfEndTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(SpeakerHoldTime), "hold time >= 0 and DTMF timeout > 0");
        }

        if (LevelSmoothing is <= 0 or > 1 || double.IsNaN(SpeakerThresholdDbov) || SpeakerMarginDb < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(LevelSmoothing), "smoothing in (0, 1], a threshold, a margin >= 0");
        }
    }
}

/// <summary>Counters of a <see cref="ConferenceMixer"/> (a snapshot). Bad input is counted, never thrown.</summary>
public sealed record ConferenceMixerCounters
{
    public long Ticks { get; init; }

    public long PacketsReceived { get; init; }

    /// <summary>A payload of the wrong length (empty, not whole 10 ms blocks, over 60 ms; RFC 4733 under 4 bytes).</summary>
    public long PacketsMalformed { get; init; }

    public long PacketsForUnknownLeg { get; init; }

    /// <summary>Neither PCMU, PCMA nor the leg's telephone-event type (e.g. comfort noise, PT 13).</summary>
    public long PacketsUnsupportedPayloadType { get; init; }

    public long PacketsLate { get; init; }

    public long PacketsDuplicate { get; init; }

    public long TelephoneEventPackets { get; init; }

    public long DtmfDigits { get; init; }

    public long FramesSent { get; init; }

    /// <summary>Exceptions thrown by handlers of the mixer's events (caught; the tick goes on).</summary>
    public long HandlerErrors { get; init; }
}
