#if MEDIA_INTERNALS
using BenchmarkDotNet.Attributes;
using VideoLink.Bench.Support;
using VideoLink.Media.Audio;

namespace VideoLink.Bench.Audio;

/// <summary>
/// One 20 ms period of a 300-site conference's audio (issue 5 item 3): every leg sends one 20 ms G.711 packet
/// (<see cref="ConferenceMixer.Push"/>: the receive threads' share — decode, jitter buffer) and then one
/// <see cref="ConferenceMixer.Tick"/> pulls 300 frames, meters them, and produces and delivers 300 encoded N−1 mixes.
/// A tick happens 50 times a second, so 1 ms per op would be 5 % of a core. Target: 0 B per op.
/// <c>AllTalking</c>: every leg unmuted with its own tone (every leg needs its own mix-minus, the worst case);
/// <c>MainVenue</c>: <see cref="ConferenceMixer.MuteAllExcept"/> one leg (the usual district meeting), so 299 legs share
/// one encoded mix per law.
/// </summary>
[Config(typeof(ShortConfig))]
public class ConferenceMixerBenchmarks
{
    private const int Frame = AudioJitterBuffer.FrameSamples;
    private const int Frames = 50; // a second of distinct packets per leg, sent round and round

    private ConferenceMixer _mixer = null!;
    private Guid[] _legs = null!;
    private byte[][][] _payloads = null!;
    private byte[] _payloadTypes = null!;
    private AudioJitterBuffer[] _buffers = null!;
    private readonly short[] _frame = new short[Frame];
    private ushort _sequence;
    private uint _timestamp;
    private ushort _bufferSequence;
    private uint _bufferTimestamp;
    private long _delivered;

    [Params(300)]
    public int Legs { get; set; }

    [Params("AllTalking", "MainVenue")]
    public string Scenario { get; set; } = "AllTalking";

    [GlobalSetup]
    public void Setup()
    {
        _mixer = new ConferenceMixer();
        _legs = new Guid[Legs];
        _payloads = new byte[Legs][][];
        _payloadTypes = new byte[Legs];
        for (var i = 0; i < Legs; i++)
        {
            _legs[i] = Guid.NewGuid();
            var law = i % 4 == 0 ? G711Law.A : G711Law.Mu; // a quarter of the sites on PCMA
            _mixer.AddInput(_legs[i], law);
            _mixer.SetTelephoneEventPayloadType(_legs[i], 101);
            _payloadTypes[i] = G711.PayloadType(law);
            var tone = new short[Frames * Frame];
            var frequency = 200 + (i * 11);
            for (var n = 0; n < tone.Length; n++)
            {
                tone[n] = (short)(3000 * Math.Sin(2 * Math.PI * frequency * n / AudioJitterBuffer.SampleRate));
            }

            _payloads[i] = new byte[Frames][];
            for (var f = 0; f < Frames; f++)
            {
                _payloads[i][f] = new byte[Frame];
                G711.Encode(tone.AsSpan(f * Frame, Frame), _payloads[i][f], law);
            }
        }

        if (Scenario == "MainVenue")
        {
            _mixer.MuteAllExcept(_legs[0]);
        }

        _mixer.FrameMixed += (_, payload, _) => _delivered += payload[0];
        _buffers = new AudioJitterBuffer[Legs];
        for (var i = 0; i < Legs; i++)
        {
            _buffers[i] = new AudioJitterBuffer();
        }

        for (var i = 0; i < 3 * Frames; i++)
        {
            PushAndTick(); // anchor every jitter buffer and settle the levels
            JitterBuffersOnly();
        }
    }

    [Benchmark]
    public long PushAndTick()
    {
        var frame = _sequence % Frames;
        for (var i = 0; i < _legs.Length; i++)
        {
            _mixer.Push(_legs[i], _payloads[i][frame], _sequence, _timestamp, _payloadTypes[i], false);
        }

        _mixer.Tick();
        _sequence++;
        _timestamp += Frame;
        return _delivered;
    }

    /// <summary>
    /// The part of <see cref="PushAndTick"/> that is not mixing: per leg, G.711 decode + jitter-buffer push, and the
    /// tick's pull. <c>PushAndTick − JitterBuffersOnly</c> ≈ metering, summing, 300 mix-minus + encodes and delivery.
    /// </summary>
    [Benchmark]
    public long JitterBuffersOnly()
    {
        var frame = _bufferSequence % Frames;
        long sum = 0;
        for (var i = 0; i < _buffers.Length; i++)
        {
            _buffers[i].Push(_payloads[i][frame], i % 4 == 0 ? G711Law.A : G711Law.Mu, _bufferSequence, _bufferTimestamp, false);
            sum += (int)_buffers[i].Pull(_frame);
        }

        _bufferSequence++;
        _bufferTimestamp += Frame;
        return sum;
    }
}
#endif
