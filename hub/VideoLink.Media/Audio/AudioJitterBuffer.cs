namespace VideoLink.Media.Audio;

/// <summary>
/// A playout buffer for one 8 kHz G.711 input. <see cref="Push(ReadOnlySpan{short}, ushort, uint, bool)"/> is called
/// from a receive thread with 10, 20, 30 … 60 ms packets; <see cref="Pull"/> is called every 20 ms by the mixer clock
/// and always yields one 160-sample frame. Thread-safe (one small lock, no allocation after construction).
/// <para>
/// Samples live in a 640 ms ring of 10 ms blocks placed by RTP timestamp relative to the playout point, so reordering
/// within the depth is undone and mixed packet sizes fit. The playout point is anchored <c>depth</c> behind the first
/// packet of a stream, again at a talkspurt start (marker bit, RFC 3551 §4.1) when the buffer is empty, and after a
/// timestamp jump (a new source, or a timestamp that is not on the 10 ms grid). Sequence numbers (16-bit serial
/// arithmetic, so the wrap is free) find duplicates; timestamps (32-bit differences) place samples, so they wrap too.
/// </para>
/// <para>
/// Adaptive depth: a late packet raises the target by one frame and stretches playout (a concealed frame) until the
/// buffered audio reaches it; every 5 s without a late packet the target drops a frame, and when the smallest amount
/// buffered over those 5 s exceeds the target by a frame, one frame is dropped. Fixed depth still stretches and drops
/// to stay at its depth, which absorbs clock drift between sender and mixer.
/// </para>
/// </summary>
public sealed class AudioJitterBuffer
{
    public const int SampleRate = 8000;
    public const int FrameSamples = 160;
    public const int BlockSamples = 80;
    public const int MaxPacketSamples = 480;
    private const int Blocks = 64;
    private const int RingSamples = Blocks * BlockSamples;
    private const int WindowFrames = 250; // 5 s
    private const int IdleFrames = 50; // 1 s of nothing: the next packet anchors afresh
    private const int RestartSequenceDistance = 1000;

    private readonly Lock _gate = new();
    private readonly AudioJitterBufferOptions _options;
    private readonly short[] _ring = new short[RingSamples];
    private readonly bool[] _valid = new bool[Blocks];
    private readonly short[] _lastGood = new short[FrameSamples];
    private readonly int _minTarget;
    private readonly int _maxTarget;

    private bool _anchored;
    private uint _playTs;
    private int _playBlock;
    private int _validBlocks;
    private bool _hasHighest;
    private uint _highestEnd;
    private bool _hasSequence;
    private ushort _highestSequence;
    private ulong _sequenceMask;
    private int _target;
    private int _pendingStretch;
    private bool _haveLastGood;
    private int _lostRun;
    private int _windowPulls;
    private int _windowMin = int.MaxValue;
    private bool _windowLate;

    private long _accepted, _late, _duplicate, _malformed, _jumps, _played, _concealed, _silent, _dropped;

    public AudioJitterBuffer(AudioJitterBufferOptions? options = null)
    {
        _options = options ?? new AudioJitterBufferOptions();
        _options.Validate();
        _minTarget = MsToSamples(_options.Adaptive ? _options.MinDepthMs : _options.InitialDepthMs);
        _maxTarget = MsToSamples(_options.Adaptive ? _options.MaxDepthMs : _options.InitialDepthMs);
        _target = MsToSamples(_options.InitialDepthMs);
    }

    public AudioJitterBufferStatistics Statistics
    {
        get
        {
            lock (_gate)
            {
                return new AudioJitterBufferStatistics(
                    _accepted, _late, _duplicate, _malformed, _jumps, _played, _concealed, _silent, _dropped,
                    _target / 8, Occupancy() / 8);
            }
        }
    }

    /// <summary>Current target depth (changes only in adaptive mode).</summary>
    public TimeSpan TargetDepth
    {
        get
        {
            lock (_gate)
            {
                return TimeSpan.FromMilliseconds(_target / 8.0);
            }
        }
    }

    /// <summary>Decodes a G.711 payload and pushes it. Never throws for bad input.</summary>
    public JitterPushResult Push(ReadOnlySpan<byte> payload, G711Law law, ushort sequence, uint timestamp, bool marker)
    {
        if (!IsValidLength(payload.Length))
        {
            lock (_gate)
            {
                _malformed++;
            }

            return JitterPushResult.Malformed;
        }

        Span<short> samples = stackalloc short[MaxPacketSamples];
        samples = samples[..payload.Length];
        G711.Decode(payload, samples, law);
        return Push(samples, sequence, timestamp, marker);
    }

    /// <summary>Pushes decoded samples (a whole number of 10 ms blocks, at most 60 ms). Never throws for bad input.</summary>
    public JitterPushResult Push(ReadOnlySpan<short> samples, ushort sequence, uint timestamp, bool marker)
    {
        lock (_gate)
        {
            if (!IsValidLength(samples.Length))
            {
                _malformed++;
                return JitterPushResult.Malformed;
            }

            var sequenceDelta = _hasSequence ? (short)(sequence - _highestSequence) : (short)1;
            var restart = sequenceDelta <= -RestartSequenceDistance;
            if (!restart && IsDuplicate(sequenceDelta))
            {
                _duplicate++;
                return JitterPushResult.Duplicate;
            }

            var newest = sequenceDelta > 0 || restart;
            var d = (int)(timestamp - _playTs);
            var jump = d % BlockSamples != 0 || d + samples.Length > RingSamples || d < -RingSamples;
            if (!_anchored)
            {
                Anchor(timestamp);
            }
            else if (jump)
            {
                if (!newest)
                {
                    return Late(sequenceDelta, restart, sequence);
                }

                _jumps++;
                Anchor(timestamp);
            }
            else if (newest && _validBlocks == 0 && (marker || d + samples.Length <= 0))
            {
                // A new talkspurt, or the newest packet already behind playout with nothing buffered (the sender's
                // clock is slower than ours, or playout ran on through a pause): start again at the target depth.
                Anchor(timestamp);
            }

            d = (int)(timestamp - _playTs);
            if (d + samples.Length <= 0)
            {
                return Late(sequenceDelta, restart, sequence);
            }

            for (var offset = 0; offset < samples.Length; offset += BlockSamples)
            {
                var block = (d + offset) / BlockSamples;
                if (d + offset < 0)
                {
                    continue; // this 10 ms of a long packet is already played
                }

                var index = (_playBlock + block) % Blocks;
                samples.Slice(offset, BlockSamples).CopyTo(_ring.AsSpan(index * BlockSamples, BlockSamples));
                if (!_valid[index])
                {
                    _valid[index] = true;
                    _validBlocks++;
                }
            }

            var end = timestamp + (uint)samples.Length;
            if (!_hasHighest || (int)(end - _highestEnd) > 0)
            {
                _highestEnd = end;
                _hasHighest = true;
            }

            MarkSequence(sequence, sequenceDelta, restart);
            _accepted++;
            return JitterPushResult.Accepted;
        }
    }

    /// <summary>Plays out the next 20 ms into <paramref name="frame"/> (at least 160 samples; the first 160 are written).</summary>
    public JitterPullResult Pull(Span<short> frame)
    {
        if (frame.Length < FrameSamples)
        {
            throw new ArgumentException("a frame is 160 samples", nameof(frame));
        }

        frame = frame[..FrameSamples];
        lock (_gate)
        {
            if (!_anchored)
            {
                frame.Clear();
                _silent++;
                return JitterPullResult.Silence;
            }

            if (_pendingStretch > 0)
            {
                // Hold the playout point for one frame: the buffer grows by 20 ms.
                _pendingStretch--;
                return Conceal(frame);
            }

            var present = 0;
            var first = _playBlock;
            var second = (_playBlock + 1) % Blocks;
            present += TakeBlock(first, frame[..BlockSamples]) ? 1 : 0;
            var secondPresent = TakeBlock(second, frame[BlockSamples..]);
            present += secondPresent ? 1 : 0;
            Advance();

            JitterPullResult result;
            if (present > 0)
            {
                if (present == 1)
                {
                    // One 10 ms packet lost: take that half from the last good frame.
                    var half = secondPresent ? 0 : BlockSamples;
                    if (_haveLastGood)
                    {
                        _lastGood.AsSpan(half, BlockSamples).CopyTo(frame.Slice(half, BlockSamples));
                    }
                    else
                    {
                        frame.Slice(half, BlockSamples).Clear();
                    }
                }

                frame.CopyTo(_lastGood);
                _haveLastGood = true;
                _lostRun = 0;
                _played++;
                result = JitterPullResult.Audio;
            }
            else
            {
                result = Conceal(frame);
                if (_lostRun >= IdleFrames && _validBlocks == 0)
                {
                    _anchored = false;
                }
            }

            Adapt();
            return result;
        }
    }

    /// <summary>Forgets the stream (e.g. the leg was put on hold); counters are kept.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _anchored = false;
            _hasSequence = false;
            _hasHighest = false;
            Array.Clear(_valid);
            _validBlocks = 0;
            _pendingStretch = 0;
            _haveLastGood = false;
        }
    }

    private static int MsToSamples(int ms) => ms * (SampleRate / 1000);

    private static bool IsValidLength(int samples) => samples > 0 && samples <= MaxPacketSamples && samples % BlockSamples == 0;

    private bool IsDuplicate(short sequenceDelta)
    {
        if (!_hasSequence || sequenceDelta > 0)
        {
            return false;
        }

        var back = -sequenceDelta;
        return back < 64 && ((_sequenceMask >> back) & 1) != 0;
    }

    private void MarkSequence(ushort sequence, short sequenceDelta, bool restart)
    {
        if (!_hasSequence || restart)
        {
            _hasSequence = true;
            _highestSequence = sequence;
            _sequenceMask = 1;
        }
        else if (sequenceDelta > 0)
        {
            _sequenceMask = sequenceDelta >= 64 ? 1UL : (_sequenceMask << sequenceDelta) | 1UL;
            _highestSequence = sequence;
        }
        else if (-sequenceDelta < 64)
        {
            _sequenceMask |= 1UL << -sequenceDelta;
        }
    }

    private JitterPushResult Late(short sequenceDelta, bool restart, ushort sequence)
    {
        MarkSequence(sequence, sequenceDelta, restart);
        _late++;
        _windowLate = true;
        if (_target < _maxTarget)
        {
            _target += FrameSamples;
        }

        var missing = _target - Occupancy() - (_pendingStretch * FrameSamples);
        if (missing > 0)
        {
            _pendingStretch += (missing + FrameSamples - 1) / FrameSamples;
        }

        return JitterPushResult.Late;
    }

    private void Anchor(uint timestamp)
    {
        _anchored = true;
        _playTs = timestamp - (uint)_target;
        _playBlock = 0;
        Array.Clear(_valid);
        _validBlocks = 0;
        _hasHighest = false;
        _pendingStretch = 0;
        _haveLastGood = false;
        _lostRun = 0;
        _windowPulls = 0;
        _windowMin = int.MaxValue;
        _windowLate = false;
    }

    private bool TakeBlock(int index, Span<short> destination)
    {
        if (!_valid[index])
        {
            return false;
        }

        _ring.AsSpan(index * BlockSamples, BlockSamples).CopyTo(destination);
        _valid[index] = false;
        _validBlocks--;
        return true;
    }

    private void Advance()
    {
        _playTs += FrameSamples;
        _playBlock = (_playBlock + 2) % Blocks;
    }

    private int Occupancy() => _anchored && _hasHighest ? Math.Max(0, (int)(_highestEnd - _playTs)) : 0;

    private JitterPullResult Conceal(Span<short> frame)
    {
        _lostRun++;
        var frames = _options.ConcealmentFrames;
        if (!_haveLastGood || _lostRun > frames)
        {
            frame.Clear();
            _silent++;
            return JitterPullResult.Silence;
        }

        // Repeat the last good frame under a linear fade that reaches zero at the end of the last concealed frame.
        var total = frames * FrameSamples;
        var start = (frames - _lostRun + 1) * FrameSamples;
        for (var i = 0; i < FrameSamples; i++)
        {
            frame[i] = (short)(_lastGood[i] * (start - i) / total);
        }

        _concealed++;
        return JitterPullResult.Concealed;
    }

    private void Adapt()
    {
        _windowMin = Math.Min(_windowMin, Occupancy());
        if (++_windowPulls < WindowFrames)
        {
            return;
        }

        if (!_windowLate && _target > _minTarget)
        {
            _target -= FrameSamples;
        }

        if (_validBlocks > 0 && _windowMin >= _target + FrameSamples && _pendingStretch == 0)
        {
            // Always more buffered than needed for 5 s: drop the frame at the playout point.
            for (var b = 0; b < 2; b++)
            {
                var index = (_playBlock + b) % Blocks;
                if (_valid[index])
                {
                    _valid[index] = false;
                    _validBlocks--;
                }
            }

            Advance();
            _dropped++;
        }

        _windowPulls = 0;
        _windowMin = int.MaxValue;
        _windowLate = false;
    }
}
