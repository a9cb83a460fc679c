using VideoLink.Media.Rtp;
using VideoLink.Sip;
using VideoLink.Sip.Media;

namespace VideoLink.Hub.Conference;

/// <summary>
/// A SIP phone or room codec in a room (dial-in or dial-out): plain RTP on the SIP stack's anchored ports, which the
/// router terminates (<see cref="IRtpPacketPort"/>). Keyframes are asked for with RTCP FIR (RFC 5104 §4.3.1) and, at
/// most once a second, SIP INFO picture_fast_update (RFC 5168) — phones differ in which one they honour.
/// </summary>
internal sealed class SipLeg : ConferenceLeg
{
    private const long InfoIntervalMilliseconds = 1000;

    private readonly SipServer _sip;
    private readonly IAnchoredStream? _audio;
    private readonly IAnchoredStream? _video;
    private readonly uint _audioSsrc = RandomSsrc();
    private readonly uint _videoSsrc = RandomSsrc();
    private readonly uint _rtcpSsrc = RandomSsrc();
    private uint _remoteVideoSsrc;
    private byte _firSequence;
    private long _lastInfoTicks;
    private int _hungUp;

    public SipLeg(SipServer sip, string callId, IReadOnlyList<IAnchoredStream> streams, string displayName)
        : base(Guid.NewGuid(), LegKind.Sip, displayName)
    {
        _sip = sip;
        CallId = callId;
        _audio = streams.FirstOrDefault(s => s.Stream.Media == "audio" && s is IRtpPacketPort);
        _video = streams.FirstOrDefault(s => s.Stream.Media == "video" && s is IRtpPacketPort);
        VideoParameterSets.ObserveSpropParameterSets(_video?.Stream.Fmtp);
    }

    public string CallId { get; }

    public override bool PublishesVideo => _video is not null;

    public override bool ReceivesVideo => _video is not null;

    public override bool PublishesAudio => _audio is not null;

    public override bool ReceivesAudio => _audio is not null;

    public override AudioLaw OutboundAudioLaw => _audio?.Stream.Encoding == "PCMA" ? AudioLaw.ALaw : AudioLaw.MuLaw;

    public override byte OutboundAudioPayloadType => (byte)(_audio?.Stream.PayloadType ?? 0);

    public override uint OutboundAudioSsrc => _audioSsrc;

    public override byte OutboundVideoPayloadType => (byte)(_video?.Stream.PayloadType ?? 96);

    public override uint OutboundVideoSsrc => _videoSsrc;

    public override string State => IsEnded ? "left" : "connected";

    public override long LastMediaTicks
    {
        get
        {
            var last = Math.Max(Port(_audio)?.LastRtpReceivedTicks ?? 0, Port(_video)?.LastRtpReceivedTicks ?? 0);
            return last == 0 ? JoinedTicks : last;
        }
    }

    /// <summary>Starts taking the phone's packets (before this they are dropped by the anchor's loop).</summary>
    public void Start()
    {
        Port(_audio)?.Terminate((_, packet, rtcp) => OnPacket(packet, rtcp, video: false));
        Port(_video)?.Terminate((_, packet, rtcp) => OnPacket(packet, rtcp, video: true));
    }

    public override bool SendVideo(ReadOnlySpan<byte> rtp) => Send(_video, rtp, rtcp: false);

    public override bool SendAudio(ReadOnlySpan<byte> rtp) => Send(_audio, rtp, rtcp: false);

    public override bool SendRtcp(ReadOnlySpan<byte> rtcp, bool video) => Send(video ? _video : _audio, rtcp, rtcp: true);

    public override void RequestKeyFrame()
    {
        if (_video is null)
        {
            return;
        }

        Statistics.OnKeyFrameRequested();
        var media = Volatile.Read(ref _remoteVideoSsrc);
        Span<byte> fir = stackalloc byte[20];
        var length = RtcpWriter.WriteFir(fir, _rtcpSsrc, media, _firSequence++);
        Send(_video, fir[..length], rtcp: true);
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastInfoTicks);
        if (now - last >= InfoIntervalMilliseconds && Interlocked.CompareExchange(ref _lastInfoTicks, now, last) == last)
        {
            _sip.RequestPictureFastUpdate(CallId);
        }
    }

    public override void Hangup()
    {
        if (Interlocked.Exchange(ref _hungUp, 1) == 0)
        {
            _ = HangUpQuietlyAsync(); // fire-and-forget: BYE is bounded by the SIP transaction timers; CallEnded follows
        }
    }

    private async Task HangUpQuietlyAsync()
    {
        try
        {
            await _sip.HangUpAsync(CallId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The phone or the SIP server is already gone: the leg has left either way.
        }
    }

    private static IRtpPacketPort? Port(IAnchoredStream? stream) => stream as IRtpPacketPort;

    private bool Send(IAnchoredStream? stream, ReadOnlySpan<byte> packet, bool rtcp)
    {
        if (Port(stream) is not { } port || !port.Send(packet, rtcp))
        {
            return false;
        }

        if (!rtcp)
        {
            Statistics.OnSent(packet.Length);
        }

        return true;
    }

    private void OnPacket(ReadOnlySpan<byte> packet, bool rtcp, bool video)
    {
        if (rtcp)
        {
            ReceivedRtcp(packet);
            return;
        }

        if (packet.Length < 12 || (packet[0] >> 6) != 2)
        {
            return; // not RTP version 2: a counted drop in the statistics would hide nothing useful
        }

        if (video)
        {
            Volatile.Write(ref _remoteVideoSsrc, SsrcOf(packet));
        }

        Received(packet, video);
    }
}
