namespace VideoLink.Media.Audio;

/// <summary>One input and output of the mixer. Fields used only by the tick thread are not locked.</summary>
internal sealed class MixerLeg(Guid id, G711Law law, AudioJitterBufferOptions jitterOptions, uint firstTimestamp)
{
    public const int NoPayloadType = -1;

    public Guid Id { get; } = id;

    public G711Law Law { get; } = law;

    public AudioJitterBuffer Jitter { get; } = new(jitterOptions);

    /// <summary>Guards <see cref="Dtmf"/> (touched by the receive thread and the tick).</summary>
    public Lock DtmfGate { get; } = new();

    public TelephoneEventReceiver Dtmf { get; } = new();

    public short[] Frame { get; } = new short[AudioJitterBuffer.FrameSamples];

    public short[] Mixed { get; } = new short[AudioJitterBuffer.FrameSamples];

    public byte[] Encoded { get; } = new byte[AudioJitterBuffer.FrameSamples];

    /// <summary>
    /// Another input of the same participant (a WHEP player paired with its WHIP publisher): this leg's mix leaves
    /// that input out as well, so nobody hears their own voice back through a second connection. Empty = none.
    /// </summary>
    public Guid Companion;

    public volatile bool Muted;
    public volatile bool Removed;
    public volatile int TelephoneEventPayloadType = NoPayloadType;

    /// <summary>Tick thread: this tick's frame is in the sum.</summary>
    public bool Contributing;

    /// <summary>Tick thread: exponential average of the frame power (mean square).</summary>
    public double SmoothedPower;

    /// <summary>Written by the tick, read by <see cref="ConferenceMixer.Level"/> from any thread.</summary>
    public double LevelDbov = ConferenceMixer.SilenceDbov;

    /// <summary>RTP timestamp of the next frame sent to this leg: continuous, random start (RFC 3550 §5.1).</summary>
    public uint OutputTimestamp = firstTimestamp;
}
