using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace VideoLink.Media.Audio;

/// <summary>Receives the N−1 mix of one leg for one 20 ms tick; the span is valid only during the call.</summary>
public delegate void MixedFrameHandler(Guid legId, ReadOnlySpan<byte> payload, uint rtpTimestamp);

/// <summary>
/// The audio of one conference room: a jitter buffer per input, and every 20 ms (<see cref="Tick"/>) a G.711 frame per
/// leg that carries everyone except that leg (the N−1 or mix-minus mix), level metering, an active speaker with
/// hysteresis, chair mute, and RFC 4733 DTMF. <see cref="Push"/> is called from receive threads; <see cref="Tick"/> and
/// all events run on the clock's thread. A steady-state tick allocates nothing.
/// <para>
/// The sum of all unmuted inputs is formed once in int32; a contributing leg gets clip(sum − own), every other leg the
/// same clip(sum) encoded once per law. Clipping is a soft knee (<see cref="MixMath.SoftClip"/>) applied after the
/// subtraction, so a loud leg never hears the remainder of its own voice.
/// </para>
/// </summary>
public sealed class ConferenceMixer
{
    /// <summary>The level reported for digital silence (RFC 6464 uses the same floor).</summary>
    public const double SilenceDbov = -127;
    private const double FullScalePower = 32768.0 * 32768.0;

    private readonly ConferenceMixerOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _membership = new();
    private readonly Lock _tickGate = new();
    private readonly ConcurrentDictionary<Guid, MixerLeg> _byId = new();
    private readonly int[] _sum = new int[AudioJitterBuffer.FrameSamples];
    private readonly short[] _fullMix = new short[AudioJitterBuffer.FrameSamples];
    private readonly byte[] _fullMu = new byte[AudioJitterBuffer.FrameSamples];
    private readonly byte[] _fullA = new byte[AudioJitterBuffer.FrameSamples];
    private readonly int _speakerHoldTicks;
    private readonly long _dtmfTimeoutTicks;
    private volatile MixerLeg[] _legs = [];

    private long _tick;
    private MixerLeg? _speaker;
    private MixerLeg? _challenger;
    private int _challengerTicks;
    private volatile MixerLeg? _publishedSpeaker;

    private long _packetsReceived, _malformed, _unknownLeg, _unsupported, _late, _duplicate, _telephoneEvents,
        _dtmfDigits, _framesSent, _handlerErrors;

    public ConferenceMixer(ConferenceMixerOptions? options = null, ILogger<ConferenceMixer>? logger = null)
    {
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _options = options ?? new ConferenceMixerOptions();
        _options.Validate();
        _speakerHoldTicks = (int)Math.Ceiling(_options.SpeakerHoldTime.TotalMilliseconds / FrameMs);
        _dtmfTimeoutTicks = Math.Max(1, (long)Math.Ceiling(_options.DtmfEndTimeout.TotalMilliseconds / FrameMs));
    }

    /// <summary>One N−1 frame per leg per tick (160 G.711 bytes in the leg's law).</summary>
    public event MixedFrameHandler? FrameMixed;

    /// <summary>The active speaker changed (null: none, e.g. the speaker was muted or left).</summary>
    public event Action<Guid?>? ActiveSpeakerChanged;

    /// <summary>A DTMF digit ended (once per key press) with its duration.</summary>
    public event Action<Guid, char, TimeSpan>? DtmfReceived;

    public static double FrameMs => 1000.0 * AudioJitterBuffer.FrameSamples / AudioJitterBuffer.SampleRate;

    public int InputCount => _legs.Length;

    public Guid? ActiveSpeaker => _publishedSpeaker?.Id;

    public ConferenceMixerCounters Counters => new()
    {
        Ticks = Interlocked.Read(ref _tick),
        PacketsReceived = Interlocked.Read(ref _packetsReceived),
        PacketsMalformed = Interlocked.Read(ref _malformed),
        PacketsForUnknownLeg = Interlocked.Read(ref _unknownLeg),
        PacketsUnsupportedPayloadType = Interlocked.Read(ref _unsupported),
        PacketsLate = Interlocked.Read(ref _late),
        PacketsDuplicate = Interlocked.Read(ref _duplicate),
        TelephoneEventPackets = Interlocked.Read(ref _telephoneEvents),
        DtmfDigits = Interlocked.Read(ref _dtmfDigits),
        FramesSent = Interlocked.Read(ref _framesSent),
        HandlerErrors = Interlocked.Read(ref _handlerErrors),
    };

    /// <summary>Adds a leg whose output is encoded in <paramref name="law"/>. False if the id is already present.</summary>
    public bool AddInput(Guid legId, G711Law law)
    {
        lock (_membership)
        {
            var leg = new MixerLeg(legId, law, _options.JitterBuffer, (uint)Random.Shared.Next());
            if (!_byId.TryAdd(legId, leg))
            {
                return false;
            }

            _legs = [.. _legs, leg];
            return true;
        }
    }

    /// <summary>Removes a leg: no frame is delivered to it after this returns (unless a tick is delivering it now).</summary>
    public bool RemoveInput(Guid legId)
    {
        lock (_membership)
        {
            if (!_byId.TryRemove(legId, out var leg))
            {
                return false;
            }

            leg.Removed = true;
            _legs = Array.FindAll(_legs, l => l != leg);
            return true;
        }
    }

    /// <summary>
    /// Pairs a leg with another input of the same participant (<paramref name="companionId"/>): the leg's mix leaves the
    /// companion out too. Used when a participant publishes and plays over two connections (WHIP + WHEP). False if
    /// <paramref name="legId"/> is unknown.
    /// </summary>
    public bool SetCompanion(Guid legId, Guid companionId)
    {
        if (!_byId.TryGetValue(legId, out var leg))
        {
            return false;
        }

        leg.Companion = companionId;
        return true;
    }

    /// <summary>
    /// One RTP packet of a leg (the payload only; header fields as parsed). PCMU/PCMA go to the jitter buffer (decoded by
    /// their payload type, whatever the leg's output law), the leg's telephone-event type to the DTMF receiver. Never throws.
    /// </summary>
    public void Push(Guid legId, ReadOnlySpan<byte> payload, ushort sequence, uint timestamp, byte payloadType, bool marker)
    {
        Interlocked.Increment(ref _packetsReceived);
        if (!_byId.TryGetValue(legId, out var leg))
        {
            Interlocked.Increment(ref _unknownLeg);
            return;
        }

        if (payloadType == leg.TelephoneEventPayloadType)
        {
            Interlocked.Increment(ref _telephoneEvents);
            TelephoneEventResult result;
            lock (leg.DtmfGate)
            {
                result = leg.Dtmf.Push(payload, timestamp, Interlocked.Read(ref _tick));
            }

            if (result == TelephoneEventResult.Malformed)
            {
                Interlocked.Increment(ref _malformed);
            }

            return;
        }

        if (!G711.TryGetLaw(payloadType, out var law))
        {
            Interlocked.Increment(ref _unsupported);
            return;
        }

        switch (leg.Jitter.Push(payload, law, sequence, timestamp, marker))
        {
            case JitterPushResult.Malformed:
                Interlocked.Increment(ref _malformed);
                break;
            case JitterPushResult.Late:
                Interlocked.Increment(ref _late);
                break;
            case JitterPushResult.Duplicate:
                Interlocked.Increment(ref _duplicate);
                break;
        }
    }

    /// <summary>The RTP payload type negotiated for telephone-event on this leg (RFC 4733 §7.1), or null for none.</summary>
    public bool SetTelephoneEventPayloadType(Guid legId, byte? payloadType)
    {
        if (!_byId.TryGetValue(legId, out var leg) || payloadType is > 127 or G711.PcmuPayloadType or G711.PcmaPayloadType)
        {
            return false;
        }

        leg.TelephoneEventPayloadType = payloadType ?? MixerLeg.NoPayloadType;
        return true;
    }

    /// <summary>A muted leg still hears the mix and is still metered, but is not mixed and never becomes speaker.</summary>
    public bool SetMuted(Guid legId, bool muted)
    {
        if (!_byId.TryGetValue(legId, out var leg))
        {
            return false;
        }

        leg.Muted = muted;
        return true;
    }

    public bool IsMuted(Guid legId) => _byId.TryGetValue(legId, out var leg) && leg.Muted;

    /// <summary>Chair control 只留主会场: mutes every leg except <paramref name="legId"/>, which is unmuted.</summary>
    public bool MuteAllExcept(Guid legId)
    {
        if (!_byId.ContainsKey(legId))
        {
            return false;
        }

        foreach (var leg in _legs)
        {
            leg.Muted = leg.Id != legId;
        }

        return true;
    }

    /// <summary>Smoothed level of the leg's input in dBov (0 = full-scale square wave, −3 = full-scale sine; −127 = silence).</summary>
    public double Level(Guid legId) => _byId.TryGetValue(legId, out var leg) ? Volatile.Read(ref leg.LevelDbov) : SilenceDbov;

    public AudioJitterBufferStatistics? JitterStatistics(Guid legId) =>
        _byId.TryGetValue(legId, out var leg) ? leg.Jitter.Statistics : null;

    /// <summary>One 20 ms period: pull, meter, mix, deliver. Called by <see cref="MixerClock"/>; calls are serialised.</summary>
    public void Tick()
    {
        lock (_tickGate)
        {
            var legs = _legs;
            var tick = Interlocked.Increment(ref _tick);
            Array.Clear(_sum);
            foreach (var leg in legs)
            {
                var pulled = leg.Jitter.Pull(leg.Frame);
                var power = pulled == JitterPullResult.Silence ? 0 : MixMath.MeanSquare(leg.Frame);
                leg.SmoothedPower += _options.LevelSmoothing * (power - leg.SmoothedPower);
                Volatile.Write(ref leg.LevelDbov, ToDbov(leg.SmoothedPower));
                leg.Contributing = pulled != JitterPullResult.Silence && !leg.Muted;
                if (leg.Contributing)
                {
                    MixMath.Accumulate(_sum, leg.Frame);
                }
            }

            UpdateSpeaker(legs);
            Deliver(legs);
            DeliverDtmf(legs, tick);
        }
    }

    private static double ToDbov(double power) =>
        power < 1e-3 ? SilenceDbov : Math.Max(SilenceDbov, 10 * Math.Log10(power / FullScalePower));

    private void Deliver(MixerLeg[] legs)
    {
        var fullMixed = false;
        var fullMu = false;
        var fullA = false;
        var handler = FrameMixed;
        foreach (var leg in legs)
        {
            ReadOnlySpan<byte> payload;
            if (leg.Contributing)
            {
                MixMath.MixMinus(_sum, leg.Frame, leg.Mixed);
                G711.Encode(leg.Mixed, leg.Encoded, leg.Law);
                payload = leg.Encoded;
            }
            else if (leg.Companion != Guid.Empty && _byId.TryGetValue(leg.Companion, out var companion) && companion.Contributing && !companion.Removed)
            {
                // A player paired with its own publisher: everyone but that publisher (a pure receiver contributes nothing itself).
                MixMath.MixMinus(_sum, companion.Frame, leg.Mixed);
                G711.Encode(leg.Mixed, leg.Encoded, leg.Law);
                payload = leg.Encoded;
            }
            else
            {
                if (!fullMixed)
                {
                    MixMath.Clip(_sum, _fullMix);
                    fullMixed = true;
                }

                if (leg.Law == G711Law.Mu)
                {
                    if (!fullMu)
                    {
                        G711.Encode(_fullMix, _fullMu, G711Law.Mu);
                        fullMu = true;
                    }

                    payload = _fullMu;
                }
                else
                {
                    if (!fullA)
                    {
                        G711.Encode(_fullMix, _fullA, G711Law.A);
                        fullA = true;
                    }

                    payload = _fullA;
                }
            }

            var timestamp = leg.OutputTimestamp;
            leg.OutputTimestamp += AudioJitterBuffer.FrameSamples;
            if (leg.Removed || handler is null)
            {
                continue;
            }

            try
            {
                handler(leg.Id, payload, timestamp);
                Interlocked.Increment(ref _framesSent);
            }
            catch (Exception ex)
            {
                // A failing leg's sender must not stop the room's audio (STYLE.md §7); counted for /health.
                if (System.Numerics.BitOperations.IsPow2(Interlocked.Increment(ref _handlerErrors)))
                {
                    // a handler failing every 20 ms would flood the log: the 1st, 2nd, 4th, 8th … failure is logged
                    _logger.HandlerFailed(nameof(FrameMixed), leg.Id, ex);
                }
            }
        }
    }

    private void UpdateSpeaker(MixerLeg[] legs)
    {
        if (_speaker is { } current && (current.Muted || current.Removed))
        {
            SetSpeaker(null);
        }

        MixerLeg? loudest = null;
        foreach (var leg in legs)
        {
            if (!leg.Muted && leg.LevelDbov >= _options.SpeakerThresholdDbov && (loudest is null || leg.LevelDbov > loudest.LevelDbov))
            {
                loudest = leg;
            }
        }

        var qualifies = loudest is not null && loudest != _speaker
            && (_speaker is null || _speaker.LevelDbov < _options.SpeakerThresholdDbov
                || loudest.LevelDbov >= _speaker.LevelDbov + _options.SpeakerMarginDb);
        if (!qualifies)
        {
            _challenger = null;
            _challengerTicks = 0;
            return;
        }

        if (_challenger != loudest)
        {
            _challenger = loudest;
            _challengerTicks = 0;
        }

        if (++_challengerTicks >= _speakerHoldTicks)
        {
            SetSpeaker(loudest);
        }
    }

    private void SetSpeaker(MixerLeg? leg)
    {
        _speaker = leg;
        _challenger = null;
        _challengerTicks = 0;
        _publishedSpeaker = leg;
        try
        {
            ActiveSpeakerChanged?.Invoke(leg?.Id);
        }
        catch (Exception ex)
        {
            // Handlers are the room's; the mix goes on (STYLE.md §7).
            Interlocked.Increment(ref _handlerErrors);
            _logger.HandlerFailed(nameof(ActiveSpeakerChanged), leg?.Id ?? Guid.Empty, ex);
        }
    }

    private void DeliverDtmf(MixerLeg[] legs, long tick)
    {
        foreach (var leg in legs)
        {
            if (leg.TelephoneEventPayloadType == MixerLeg.NoPayloadType)
            {
                continue;
            }

            while (true)
            {
                char digit;
                int samples;
                lock (leg.DtmfGate)
                {
                    leg.Dtmf.CheckTimeout(tick, _dtmfTimeoutTicks);
                    if (!leg.Dtmf.TryDequeue(out digit, out samples))
                    {
                        break;
                    }
                }

                Interlocked.Increment(ref _dtmfDigits);
                try
                {
                    DtmfReceived?.Invoke(leg.Id, digit, TimeSpan.FromSeconds((double)samples / AudioJitterBuffer.SampleRate));
                }
                catch (Exception ex)
                {
                    // Handlers are the room's; the mix goes on (STYLE.md §7).
                    Interlocked.Increment(ref _handlerErrors);
                    _logger.HandlerFailed(nameof(DtmfReceived), leg.Id, ex);
                }
            }
        }
    }
}
