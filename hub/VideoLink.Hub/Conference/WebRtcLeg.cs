using VideoLink.Media;
using VideoLink.Media.Sdp;

namespace VideoLink.Hub.Conference;

/// <summary>A browser (or any WebRTC tool: WHIP/WHEP, aiortc) in a room, on the hub's shared WebRTC port.</summary>
internal sealed class WebRtcLeg : ConferenceLeg
{
    private readonly WebRtcPeer _peer;
    private long _lastMediaTicks;

    public WebRtcLeg(WebRtcPeer peer, string displayName)
        : base(Guid.Parse(peer.Id), LegKind.WebRtc, displayName)
    {
        _peer = peer;
        _lastMediaTicks = JoinedTicks;
        peer.RtpReceived += OnRtp;
        peer.RtcpReceived += (_, rtcp) => ReceivedRtcp(rtcp);
        peer.Closed += (_, _) => Ended(ReasonFor(peer.CloseReason));
    }

    public WebRtcPeer Peer => _peer;

    public override bool PublishesVideo => _peer.Video is { } v && v.Direction.HasFlag(MediaDirection.Receive);

    public override bool ReceivesVideo => _peer.Video is { } v && v.Direction.HasFlag(MediaDirection.Send);

    public override bool PublishesAudio => _peer.Audio is { } a && a.Direction.HasFlag(MediaDirection.Receive);

    public override bool ReceivesAudio => _peer.Audio is { } a && a.Direction.HasFlag(MediaDirection.Send);

    public override AudioLaw OutboundAudioLaw => _peer.Audio?.Codec == "PCMA" ? AudioLaw.ALaw : AudioLaw.MuLaw;

    public override byte OutboundAudioPayloadType => (byte)(_peer.Audio?.PayloadType ?? 0);

    public override uint OutboundAudioSsrc => _peer.Audio?.LocalSsrc ?? 0;

    public override byte OutboundVideoPayloadType => (byte)(_peer.Video?.PayloadType ?? 0);

    public override uint OutboundVideoSsrc => _peer.Video?.LocalSsrc ?? 0;

    public override string State => _peer.State switch
    {
        WebRtcPeerState.Connected => "connected",
        WebRtcPeerState.Closed => "left",
        _ => "connecting",
    };

    public override long LastMediaTicks => Interlocked.Read(ref _lastMediaTicks);

    public override bool SendVideo(ReadOnlySpan<byte> rtp) => Count(_peer.SendRtp(rtp), rtp.Length);

    public override bool SendAudio(ReadOnlySpan<byte> rtp) => Count(_peer.SendRtp(rtp), rtp.Length);

    public override bool SendRtcp(ReadOnlySpan<byte> rtcp, bool video) => _peer.SendRtcp(rtcp);

    public override void RequestKeyFrame()
    {
        if (_peer.RequestKeyFrame())
        {
            Statistics.OnKeyFrameRequested();
        }
    }

    public override void Hangup() => _peer.Close();

    private bool Count(bool sent, int length)
    {
        if (sent)
        {
            Statistics.OnSent(length);
        }

        return sent;
    }

    private void OnRtp(WebRtcPeer peer, ReadOnlySpan<byte> rtp)
    {
        if (rtp.Length < 12)
        {
            return;
        }

        Interlocked.Exchange(ref _lastMediaTicks, Environment.TickCount64);
        var payloadType = rtp[1] & 0x7F;
        if (peer.Video is { } v && payloadType == v.PayloadType)
        {
            Received(rtp, video: true);
        }
        else if (peer.Audio is { } a && payloadType == a.PayloadType)
        {
            Received(rtp, video: false);
        }
    }

    /// <summary>RFC 7675 consent expiry is a timeout; the browser's own close_notify is a hang-up.</summary>
    private static string ReasonFor(string closeReason) =>
        closeReason.Contains("consent", StringComparison.OrdinalIgnoreCase) || closeReason.Contains("handshake", StringComparison.OrdinalIgnoreCase) || closeReason.Contains("in time", StringComparison.OrdinalIgnoreCase)
            ? LeaveReasons.Timeout
            : closeReason.Contains("DTLS failed", StringComparison.Ordinal) ? LeaveReasons.Failed : LeaveReasons.Hangup;
}
