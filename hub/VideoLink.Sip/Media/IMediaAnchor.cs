using System.Net;

namespace VideoLink.Sip.Media;

/// <summary>One negotiated RTP stream of a call leg, as agreed in SDP offer/answer (RFC 3264).</summary>
/// <param name="CallId">The SIP Call-ID of the leg.</param>
/// <param name="Media">"audio" or "video".</param>
/// <param name="Encoding">Codec name: PCMU, PCMA or H264.</param>
/// <param name="PayloadType">RTP payload type agreed for the codec.</param>
/// <param name="ClockRate">RTP clock rate.</param>
/// <param name="Remote">Where the peer said it receives RTP; null when it gave no usable address (symmetric RTP then learns it).</param>
/// <param name="RtcpMux">Whether RTCP shares the RTP port (RFC 5761).</param>
/// <param name="Fmtp">The far end's fmtp for the payload type, when it sent one (H.264: its sprop-parameter-sets).</param>
public sealed record SipMediaStream(string CallId, string Media, string Encoding, int PayloadType, int ClockRate, IPEndPoint? Remote, bool RtcpMux, string? Fmtp = null);

/// <summary>
/// Media anchoring seam: the SIP layer negotiates SDP, the media layer owns the RTP sockets. The hub connects
/// this to VideoLink.Media; <see cref="UdpMediaAnchor"/> is a self-contained implementation (echo and relay).
/// </summary>
public interface IMediaAnchor
{
    /// <summary>Allocates a local RTP port (RTCP on port+1 unless muxed) for one stream of a leg.</summary>
    ValueTask<IAnchoredStream> AllocateAsync(SipMediaStream stream, CancellationToken cancellationToken);

    /// <summary>Echo mode: every RTP/RTCP packet received on <paramref name="stream"/> is sent back to its source (sip:echo).</summary>
    void Echo(IAnchoredStream stream);

    /// <summary>Bridge mode: packets received on one stream are sent out of the other to its peer (B2BUA call).</summary>
    void Connect(IAnchoredStream a, IAnchoredStream b);
}

/// <summary>A local RTP endpoint held for one stream of a call leg; disposing releases the ports.</summary>
public interface IAnchoredStream : IAsyncDisposable
{
    /// <summary>Local RTP port to advertise in SDP.</summary>
    int Port { get; }

    /// <summary>The stream as last negotiated.</summary>
    SipMediaStream Stream { get; }

    /// <summary>After a re-INVITE: the peer's new address, codec or hold state.</summary>
    void Update(SipMediaStream stream);

    /// <summary>Packets received so far (RTP and RTCP).</summary>
    long PacketsReceived { get; }

    /// <summary>Packets sent so far (RTP and RTCP).</summary>
    long PacketsSent { get; }
}
