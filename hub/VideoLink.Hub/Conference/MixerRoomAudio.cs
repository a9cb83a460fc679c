using VideoLink.Media.Audio;

namespace VideoLink.Hub.Conference;

/// <summary>
/// The room's audio through the G.711 N−1 mixer (<see cref="ConferenceMixer"/>): every leg hears everyone but itself,
/// from a jitter buffer per input, 20 ms frames in its own law. Levels are converted from the mixer's dBov to the
/// 0..1 scale the room's speaker tracker and the console use.
/// </summary>
public sealed class MixerRoomAudio : IRoomAudio
{
    /// <summary>The telephone-event type the hub offers SIP phones (RFC 4733); browsers do not send DTMF here.</summary>
    public const byte TelephoneEventPayloadType = 101;

    private readonly ConferenceMixer _mixer;
    private AudioFrameHandler? _emit;

    public MixerRoomAudio(ConferenceMixer mixer)
    {
        _mixer = mixer;
        _mixer.FrameMixed += (leg, payload, _) => _emit?.Invoke(leg, payload);
        _mixer.DtmfReceived += (leg, digit, _) => DtmfReceived?.Invoke(this, new DtmfEventArgs(leg, digit));
    }

    public event EventHandler<DtmfEventArgs>? DtmfReceived;

    public ConferenceMixer Mixer => _mixer;

    public void AddLeg(Guid legId, AudioLaw law)
    {
        _mixer.AddInput(legId, law == AudioLaw.MuLaw ? G711Law.Mu : G711Law.A);
        _mixer.SetTelephoneEventPayloadType(legId, TelephoneEventPayloadType);
    }

    public void RemoveLeg(Guid legId) => _mixer.RemoveInput(legId);

    public void SetCompanion(Guid legId, Guid companionId) => _mixer.SetCompanion(legId, companionId);

    public void Push(Guid legId, ReadOnlySpan<byte> payload, ushort sequence, uint timestamp, byte payloadType, bool marker) =>
        _mixer.Push(legId, payload, sequence, timestamp, payloadType, marker);

    public void SetMuted(Guid legId, bool muted) => _mixer.SetMuted(legId, muted);

    public bool IsMuted(Guid legId) => _mixer.IsMuted(legId);

    public double Level(Guid legId)
    {
        var dbov = _mixer.Level(legId);
        return dbov <= ConferenceMixer.SilenceDbov ? 0 : Math.Pow(10, dbov / 20.0);
    }

    /// <summary>Runs on the room's clock only (one caller), so the handler field needs no lock.</summary>
    public void Tick(AudioFrameHandler emit)
    {
        _emit = emit;
        try
        {
            _mixer.Tick();
        }
        finally
        {
            _emit = null;
        }
    }

    public void Dispose()
    {
        _emit = null;
    }
}
