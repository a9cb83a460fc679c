namespace VideoLink.Hub.Conference;

/// <summary>G.711 companding law of a leg's audio (RFC 3551 §4.5.14: PCMU = µ-law, PCMA = A-law).</summary>
public enum AudioLaw
{
    MuLaw,
    ALaw,
}

/// <summary>Receives one 20 ms G.711 frame (160 bytes in the leg's law) for a leg; the span is valid during the call.</summary>
public delegate void AudioFrameHandler(Guid legId, ReadOnlySpan<byte> frame);

/// <summary>
/// The audio side of a room, as the router sees it: legs' RTP payloads go in, one 20 ms frame per leg comes out on
/// every <see cref="Tick"/> (what that leg should hear). The G.711 N−1 mixer (<c>VideoLink.Media.Audio</c>) is the
/// production implementation (<see cref="MixerRoomAudio"/>); <see cref="SelectingRoomAudio"/> forwards the loudest other leg
/// (a fallback, <c>Conference:Audio = Selecting</c>). Calls come from several receive loops and the room's tick: implementations are thread-safe.
/// </summary>
public interface IRoomAudio : IDisposable
{
    void AddLeg(Guid legId, AudioLaw law);

    void RemoveLeg(Guid legId);

    /// <summary>
    /// <paramref name="legId"/> plays for the participant who publishes on <paramref name="companionId"/> (WHEP beside
    /// WHIP): what it hears leaves the companion out, as a single two-way leg's mix leaves out the leg itself.
    /// </summary>
    void SetCompanion(Guid legId, Guid companionId);

    /// <summary>One received RTP packet's payload (G.711 or RFC 4733 telephone-event).</summary>
    void Push(Guid legId, ReadOnlySpan<byte> payload, ushort sequence, uint timestamp, byte payloadType, bool marker);

    /// <summary>Chair mute: the leg is still heard by nobody, but still hears the room.</summary>
    void SetMuted(Guid legId, bool muted);

    bool IsMuted(Guid legId);

    /// <summary>Current level of what the leg sends (0..1), for the active speaker and the console's meters.</summary>
    double Level(Guid legId);

    /// <summary>Produces this 20 ms period's frame for every leg.</summary>
    void Tick(AudioFrameHandler emit);

    /// <summary>A DTMF digit (RFC 4733) finished on a leg.</summary>
    event EventHandler<DtmfEventArgs>? DtmfReceived;
}

public sealed class DtmfEventArgs(Guid legId, char digit) : EventArgs
{
    public Guid LegId { get; } = legId;

    public char Digit { get; } = digit;
}
