using System.Buffers.Binary;

namespace VideoLink.Hub.Conference;

/// <summary>How a leg reached the room.</summary>
public enum LegKind
{
    WebRtc,
    Sip,
}

/// <summary>Why a leg left (stored as the interval's reason).</summary>
public static class LeaveReasons
{
    public const string Hangup = "hangup";
    public const string Kicked = "kicked";
    public const string Timeout = "timeout";
    public const string RoomEnded = "room-ended";
    public const string Failed = "failed";
}

/// <summary>What a leg hands to its room: media it received and its own end.</summary>
internal interface ILegSink
{
    void OnVideo(ConferenceLeg from, ReadOnlySpan<byte> rtp);

    void OnAudio(ConferenceLeg from, ReadOnlySpan<byte> rtp);

    /// <summary>RTCP from the leg's peer: its feedback on what we send it (PLI/FIR/NACK/RR) and its sender reports.</summary>
    void OnRtcp(ConferenceLeg from, ReadOnlySpan<byte> rtcp);

    void OnEnded(ConferenceLeg leg, string reason);
}

/// <summary>
/// One participant of a live room — a browser (WebRTC) or a SIP phone — seen the same way by the router: it may
/// publish audio and video, it may receive one video stream (the one chosen for it) and one audio stream (its mix).
/// </summary>
internal abstract class ConferenceLeg
{
    private readonly Lock _statsGate = new();
    private ILegSink? _sink;
    private int _ended;

    protected ConferenceLeg(Guid id, LegKind kind, string displayName)
    {
        Id = id;
        Kind = kind;
        DisplayName = displayName;
        JoinedUtc = DateTime.UtcNow;
        JoinedTicks = Environment.TickCount64;
    }

    public Guid Id { get; }

    public LegKind Kind { get; }

    public string DisplayName { get; set; }

    public Guid? EndpointId { get; init; }

    public Guid? SiteId { get; init; }

    /// <summary>Who joined the leg (the caller's user or kiosk credential id); null for SIP legs.</summary>
    public string? Owner { get; init; }

    /// <summary>
    /// The leg that publishes for the same participant when they play on this one (WHEP beside WHIP). The room treats
    /// the pair as one person: this leg is never shown the companion's picture nor sent its voice.
    /// </summary>
    public Guid? Companion { get; init; }

    public DateTime JoinedUtc { get; }

    public long JoinedTicks { get; }

    public abstract bool PublishesVideo { get; }

    /// <summary>
    /// The latest SPS and PPS this leg published (fed by the room from the leg's own receive loop, read by the routes
    /// on that same thread): a receiver switched to this leg at an IDR sent without them gets them first.
    /// </summary>
    internal VideoLink.Media.Rtp.H264ParameterSetCache VideoParameterSets { get; } = new();

    public abstract bool ReceivesVideo { get; }

    public abstract bool PublishesAudio { get; }

    public abstract bool ReceivesAudio { get; }

    /// <summary>The law of the audio we send this leg (its negotiated G.711 codec).</summary>
    public abstract AudioLaw OutboundAudioLaw { get; }

    public abstract byte OutboundAudioPayloadType { get; }

    public abstract uint OutboundAudioSsrc { get; }

    public abstract byte OutboundVideoPayloadType { get; }

    public abstract uint OutboundVideoSsrc { get; }

    /// <summary>"connecting" until media can flow, then "connected".</summary>
    public abstract string State { get; }

    public bool IsEnded => Volatile.Read(ref _ended) != 0;

    public LegStatistics Statistics { get; } = new();

    /// <summary>Ticks of the last RTP received (for the RTP timeout); <see cref="JoinedTicks"/> before any.</summary>
    public abstract long LastMediaTicks { get; }

    protected ILegSink? Sink => Volatile.Read(ref _sink);

    public void Attach(ILegSink sink) => Volatile.Write(ref _sink, sink);

    public abstract bool SendVideo(ReadOnlySpan<byte> rtp);

    public abstract bool SendAudio(ReadOnlySpan<byte> rtp);

    public abstract bool SendRtcp(ReadOnlySpan<byte> rtcp, bool video);

    /// <summary>Asks the leg's encoder for a keyframe (PLI for browsers; FIR + INFO picture_fast_update for SIP).</summary>
    public abstract void RequestKeyFrame();

    /// <summary>Ends the leg's session (close the peer connection, BYE the phone). Idempotent.</summary>
    public abstract void Hangup();

    /// <summary>The session ended (by either side): tells the room once.</summary>
    public void Ended(string reason)
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
        {
            Sink?.OnEnded(this, reason);
        }
    }

    protected void Received(ReadOnlySpan<byte> packet, bool video)
    {
        if (packet.Length < 12)
        {
            return;
        }

        Statistics.OnReceived(packet, video);
        var sink = Sink;
        if (sink is null)
        {
            return;
        }

        if (video)
        {
            sink.OnVideo(this, packet);
        }
        else
        {
            sink.OnAudio(this, packet);
        }
    }

    protected void ReceivedRtcp(ReadOnlySpan<byte> packet) => Sink?.OnRtcp(this, packet);

    protected static uint RandomSsrc() => (uint)System.Security.Cryptography.RandomNumberGenerator.GetInt32(1, int.MaxValue);

    protected static uint SsrcOf(ReadOnlySpan<byte> rtp) => BinaryPrimitives.ReadUInt32BigEndian(rtp[8..]);
}
