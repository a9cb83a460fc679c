namespace VideoLink.Hub.Conference;

/// <summary>
/// The stand-in for the G.711 mixer: each leg hears the loudest *other* unmuted leg (never itself), converted to its
/// own law. A short queue per input (up to 5 frames) absorbs arrival jitter; DTMF (RFC 4733) end-of-event packets are
/// surfaced. Good enough for a consultation and for a chaired meeting where one site speaks at a time.
/// </summary>
public sealed class SelectingRoomAudio : IRoomAudio
{
    private const int MaxQueuedFrames = 5;
    private const string DtmfDigits = "0123456789*#ABCD";

    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, Input> _inputs = [];
    private readonly byte _telephoneEventPayloadType;

    public SelectingRoomAudio(byte telephoneEventPayloadType = 101) => _telephoneEventPayloadType = telephoneEventPayloadType;

    public event EventHandler<DtmfEventArgs>? DtmfReceived;

    public void AddLeg(Guid legId, AudioLaw law)
    {
        lock (_gate)
        {
            _inputs[legId] = new Input(law);
        }
    }

    public void SetCompanion(Guid legId, Guid companionId)
    {
        lock (_gate)
        {
            if (_inputs.TryGetValue(legId, out var input))
            {
                input.Companion = companionId;
            }
        }
    }

    public void RemoveLeg(Guid legId)
    {
        lock (_gate)
        {
            _inputs.Remove(legId);
        }
    }

    public void Push(Guid legId, ReadOnlySpan<byte> payload, ushort sequence, uint timestamp, byte payloadType, bool marker)
    {
        char? digit = null;
        lock (_gate)
        {
            if (!_inputs.TryGetValue(legId, out var input))
            {
                return;
            }

            if (payloadType == _telephoneEventPayloadType)
            {
                // RFC 4733 §2.3: event, E|R|volume, duration; the end packet is sent three times — report it once per timestamp.
                if (payload.Length >= 4 && (payload[1] & 0x80) != 0 && payload[0] < DtmfDigits.Length && input.LastDtmfTimestamp != timestamp)
                {
                    input.LastDtmfTimestamp = timestamp;
                    digit = DtmfDigits[payload[0]];
                }
            }
            else if (payloadType is 0 or 8 && payload.Length > 0)
            {
                var law = payloadType == 0 ? AudioLaw.MuLaw : AudioLaw.ALaw;
                // Split into 20 ms frames (phones may send 10–60 ms packets).
                for (var offset = 0; offset < payload.Length; offset += G711.FrameBytes)
                {
                    var chunk = payload.Slice(offset, Math.Min(G711.FrameBytes, payload.Length - offset));
                    var frame = new short[G711.FrameBytes];
                    for (var i = 0; i < chunk.Length; i++)
                    {
                        frame[i] = G711.Decode(chunk[i], law);
                    }

                    if (input.Queue.Count >= MaxQueuedFrames)
                    {
                        input.Queue.Dequeue(); // too far behind: drop the oldest, keep latency bounded
                        input.Dropped++;
                    }

                    input.Queue.Enqueue(frame);
                }
            }
        }

        if (digit is { } d)
        {
            DtmfReceived?.Invoke(this, new DtmfEventArgs(legId, d));
        }
    }

    public void SetMuted(Guid legId, bool muted)
    {
        lock (_gate)
        {
            if (_inputs.TryGetValue(legId, out var input))
            {
                input.Muted = muted;
            }
        }
    }

    public bool IsMuted(Guid legId)
    {
        lock (_gate)
        {
            return _inputs.TryGetValue(legId, out var input) && input.Muted;
        }
    }

    public double Level(Guid legId)
    {
        lock (_gate)
        {
            return _inputs.TryGetValue(legId, out var input) ? input.Level : 0;
        }
    }

    public void Tick(AudioFrameHandler emit)
    {
        ArgumentNullException.ThrowIfNull(emit);
        Span<byte> output = stackalloc byte[G711.FrameBytes];
        lock (_gate)
        {
            foreach (var input in _inputs.Values)
            {
                input.Current = input.Queue.Count > 0 ? input.Queue.Dequeue() : null;
                var level = 0.0;
                if (input.Current is { } frame)
                {
                    double sum = 0;
                    foreach (var s in frame)
                    {
                        sum += (double)s * s;
                    }

                    level = Math.Sqrt(sum / frame.Length) / 32768.0;
                }

                // Fast attack, slow release: a meter, not a gate.
                input.Level = level > input.Level ? level : (input.Level * 0.9) + (level * 0.1);
            }

            foreach (var (legId, listener) in _inputs)
            {
                Input? loudest = null;
                foreach (var (otherId, other) in _inputs)
                {
                    if (otherId != legId && otherId != listener.Companion && !other.Muted && other.Current is not null && (loudest is null || other.Level > loudest.Level))
                    {
                        loudest = other;
                    }
                }

                for (var i = 0; i < G711.FrameBytes; i++)
                {
                    output[i] = loudest?.Current is { } f ? G711.Encode(f[i], listener.Law) : G711.Silence(listener.Law);
                }

                emit(legId, output);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _inputs.Clear();
        }
    }

    private sealed class Input(AudioLaw law)
    {
        public AudioLaw Law { get; } = law;

        public Queue<short[]> Queue { get; } = new();

        public short[]? Current { get; set; }

        public double Level { get; set; }

        public bool Muted { get; set; }

        public Guid Companion { get; set; }

        public long Dropped { get; set; }

        public uint LastDtmfTimestamp { get; set; } = uint.MaxValue;
    }
}
