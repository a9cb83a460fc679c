using VideoLink.Media.Audio;

namespace VideoLink.Media.Tests.Audio;

/// <summary>
/// Drives a <see cref="ConferenceMixer"/> the way a room does: each step every talking leg sends one 20 ms packet
/// (as a receive thread would), then the clock ticks once. Records every delivered frame, decoded, per leg.
/// </summary>
internal sealed class MixerHarness
{
    public const int Frame = AudioJitterBuffer.FrameSamples;

    private readonly Dictionary<Guid, Talker> _talkers = [];

    public MixerHarness(ConferenceMixerOptions? options = null)
    {
        Mixer = new ConferenceMixer(options ?? new ConferenceMixerOptions
        {
            JitterBuffer = new AudioJitterBufferOptions { Adaptive = false, InitialDepthMs = 40 },
        });
        Mixer.FrameMixed += OnFrame;
    }

    public ConferenceMixer Mixer { get; }

    public Dictionary<Guid, List<short>> Received { get; } = [];

    public Dictionary<Guid, List<uint>> Timestamps { get; } = [];

    public int Steps { get; private set; }

    public Guid AddLeg(G711Law law, double frequency = 0, double amplitude = 0)
    {
        var id = Guid.NewGuid();
        Assert.True(Mixer.AddInput(id, law));
        _talkers[id] = new Talker(law, (ushort)Random.Shared.Next(), (uint)Random.Shared.Next()) { Frequency = frequency, Amplitude = amplitude };
        Received[id] = [];
        Timestamps[id] = [];
        return id;
    }

    /// <summary>Changes what a leg sends from the next step on (amplitude 0: it sends nothing, like DTX).</summary>
    public void SetTone(Guid leg, double frequency, double amplitude)
    {
        _talkers[leg].Frequency = frequency;
        _talkers[leg].Amplitude = amplitude;
    }

    public void Step(int count = 1, Action<int>? afterTick = null)
    {
        for (var i = 0; i < count; i++)
        {
            foreach (var (id, talker) in _talkers)
            {
                if (talker.Amplitude > 0)
                {
                    var payload = AudioSignals.ToneG711(talker.Frequency, talker.Amplitude, talker.Samples, Frame, talker.Law);
                    Mixer.Push(id, payload, talker.Sequence, talker.Timestamp, G711.PayloadType(talker.Law), false);
                    talker.Sequence++;
                }

                // the sender's clock runs on through silence (RFC 3551 §4.1)
                talker.Timestamp += Frame;
                talker.Samples += Frame;
            }

            Mixer.Tick();
            Steps++;
            afterTick?.Invoke(Steps);
        }
    }

    /// <summary>The last <paramref name="count"/> samples a leg received.</summary>
    public short[] Last(Guid leg, int count) => Received[leg].Skip(Received[leg].Count - count).ToArray();

    private void OnFrame(Guid legId, ReadOnlySpan<byte> payload, uint rtpTimestamp)
    {
        Assert.Equal(Frame, payload.Length);
        Received[legId].AddRange(AudioSignals.Decode(payload, _talkers[legId].Law));
        Timestamps[legId].Add(rtpTimestamp);
    }

    private sealed class Talker(G711Law law, ushort sequence, uint timestamp)
    {
        public G711Law Law { get; } = law;

        public ushort Sequence { get; set; } = sequence;

        public uint Timestamp { get; set; } = timestamp;

        public long Samples { get; set; }

        public double Frequency { get; set; }

        public double Amplitude { get; set; }
    }
}
