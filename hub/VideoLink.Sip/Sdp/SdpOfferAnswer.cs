using System.Globalization;

namespace VideoLink.Sip.Sdp;

/// <summary>Where the hub receives one media stream (from <c>IMediaAnchor</c>).</summary>
internal sealed record MediaEndpoint(string Address, int Port);

/// <summary>What was agreed for one m= line.</summary>
internal sealed record NegotiatedMedia(string Media, int PayloadType, string Encoding, int ClockRate, int? TelephoneEventPayloadType,
    MediaDirection Direction, bool RtcpMux, string? RemoteAddress, int RemotePort, string? Fmtp);

/// <summary>
/// Builds answers (RFC 3264 §6): one m= line per offered line, unsupported ones rejected with port 0,
/// formats the hub does not carry left out, direction mirrored. The hub never transcodes: audio G.711,
/// video H.264 Constrained Baseline (ARCHITECTURE.md, media plane).
/// </summary>
internal static class SdpOfferAnswer
{
    public static readonly H264Parameters PreferredH264 = new(0x42, 0xe0, 0x1f, 1);

    /// <summary>What the hub offers when it makes the offer itself (dial-out, late-offer INVITE): G.711 µ-law +
    /// telephone-event, H.264 Constrained Baseline (no transcoding).</summary>
    public static readonly NegotiatedMedia[] HubOffer =
    [
        new("audio", 0, "PCMU", 8000, 101, MediaDirection.SendRecv, false, null, 0, null),
        new("video", 96, "H264", 90000, null, MediaDirection.SendRecv, false, null, 0, "profile-level-id=42e01f;packetization-mode=1"),
    ];

    /// <summary>The payload type the answerer chose for one m= line (its first format), or <paramref name="fallback"/>.</summary>
    public static int AnsweredPayloadType(MediaDescription m, int fallback) =>
        m.Formats.Count > 0 && int.TryParse(m.Formats[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pt) ? pt : fallback;

    public static MediaDirection Reverse(MediaDirection d) => d switch
    {
        MediaDirection.SendOnly => MediaDirection.RecvOnly,
        MediaDirection.RecvOnly => MediaDirection.SendOnly,
        MediaDirection.Inactive => MediaDirection.Inactive,
        _ => MediaDirection.SendRecv,
    };

    /// <summary>Chooses what to accept from each offered m= line; null entries are rejected lines.</summary>
    public static List<NegotiatedMedia?> Negotiate(SessionDescription offer)
    {
        var result = new List<NegotiatedMedia?>(offer.Media.Count);
        foreach (var m in offer.Media)
        {
            result.Add(m.IsRejected || !m.Protocol.StartsWith("RTP/AVP", StringComparison.Ordinal) ? null : NegotiateOne(offer, m));
        }
        return result;
    }

    private static NegotiatedMedia? NegotiateOne(SessionDescription offer, MediaDescription m)
    {
        var direction = Reverse(m.Direction ?? offer.Direction);
        string? remote = m.ConnectionAddress ?? offer.ConnectionAddress;
        int? dtmf = null;
        foreach (string f in m.Formats)
        {
            if (int.TryParse(f, NumberStyles.None, CultureInfo.InvariantCulture, out int pt)
                && m.GetRtpMap(pt) is { } map && map.Encoding.Equals("telephone-event", StringComparison.OrdinalIgnoreCase) && map.ClockRate == 8000)
            {
                dtmf = pt;
            }
        }
        // Offer order is the offerer's preference (RFC 3264 §5.1): take the first format we carry.
        foreach (string f in m.Formats)
        {
            if (!int.TryParse(f, NumberStyles.None, CultureInfo.InvariantCulture, out int pt) || m.GetRtpMap(pt) is not { } map)
            {
                continue;
            }
            if (m.Media == "audio" && map.ClockRate == 8000 && (map.Encoding.Equals("PCMU", StringComparison.OrdinalIgnoreCase) || map.Encoding.Equals("PCMA", StringComparison.OrdinalIgnoreCase)))
            {
                return new NegotiatedMedia("audio", pt, map.Encoding.ToUpperInvariant(), 8000, dtmf, direction, m.RtcpMux, remote, m.Port, null);
            }
            if (m.Media == "video" && map.Encoding.Equals("H264", StringComparison.OrdinalIgnoreCase))
            {
                var h264 = H264Parameters.Parse(m.GetFmtp(pt));
                if (h264.ProfileClass == H264ProfileClass.ConstrainedBaseline && h264.PacketizationMode is 0 or 1)
                {
                    return new NegotiatedMedia("video", pt, "H264", 90000, null, direction, m.RtcpMux, remote, m.Port, m.GetFmtp(pt));
                }
            }
        }
        return null;
    }

    /// <summary>Writes the answer SDP for <paramref name="offer"/> with the given local endpoints (null = rejected).</summary>
    public static SessionDescription CreateAnswer(SessionDescription offer, IReadOnlyList<NegotiatedMedia?> chosen,
        IReadOnlyList<MediaEndpoint?> local, string localAddress, ulong sessionId, ulong version)
    {
        var answer = new SessionDescription
        {
            OriginUser = "videolink",
            SessionId = sessionId,
            SessionVersion = version,
            OriginAddressType = localAddress.Contains(':', StringComparison.Ordinal) ? "IP6" : "IP4",
            OriginAddress = localAddress,
            SessionName = "VideoLink",
            ConnectionAddress = localAddress,
            ConnectionAddressType = localAddress.Contains(':', StringComparison.Ordinal) ? "IP6" : "IP4",
            Timing = "0 0",
        };
        for (int i = 0; i < offer.Media.Count; i++)
        {
            var offered = offer.Media[i];
            var n = i < chosen.Count ? chosen[i] : null;
            var endpoint = i < local.Count ? local[i] : null;
            var m = new MediaDescription { Media = offered.Media, Protocol = offered.Protocol };
            if (n is null || endpoint is null)
            {
                // §6: a rejected stream keeps its line with port 0 and at least one format.
                m.Port = 0;
                m.Formats.Add(offered.Formats.Count > 0 ? offered.Formats[0] : "0");
                answer.Media.Add(m);
                continue;
            }
            m.Port = endpoint.Port;
            if (endpoint.Address != localAddress)
            {
                m.ConnectionAddress = endpoint.Address;
            }
            string pt = n.PayloadType.ToString(CultureInfo.InvariantCulture);
            m.Formats.Add(pt);
            m.Attributes.Add(new("rtpmap", $"{pt} {n.Encoding}/{n.ClockRate.ToString(CultureInfo.InvariantCulture)}"));
            if (n.Media == "video")
            {
                var offeredH264 = H264Parameters.Parse(n.Fmtp);
                m.Attributes.Add(new("fmtp", $"{pt} {(offeredH264 with { LevelIdc = Math.Min(offeredH264.LevelIdc, PreferredH264.LevelIdc) }).ToFmtp()}"));
                m.Attributes.Add(new("rtcp-fb", $"{pt} nack pli"));
                m.Attributes.Add(new("rtcp-fb", $"{pt} ccm fir"));
            }
            if (n.TelephoneEventPayloadType is { } te)
            {
                string tes = te.ToString(CultureInfo.InvariantCulture);
                m.Formats.Add(tes);
                m.Attributes.Add(new("rtpmap", $"{tes} telephone-event/8000"));
                m.Attributes.Add(new("fmtp", $"{tes} 0-15"));
            }
            if (n.RtcpMux)
            {
                m.Attributes.Add(new("rtcp-mux", null));
            }
            else
            {
                m.Attributes.Add(new("rtcp", (endpoint.Port + 1).ToString(CultureInfo.InvariantCulture)));
            }
            m.Direction = n.Direction;
            answer.Media.Add(m);
        }
        return answer;
    }

    /// <summary>An offer toward another leg carrying exactly the codecs already agreed with the first leg (no transcoding).</summary>
    public static SessionDescription CreateOffer(IReadOnlyList<NegotiatedMedia> media, IReadOnlyList<MediaEndpoint> local, string localAddress, ulong sessionId)
    {
        var offer = new SessionDescription
        {
            OriginUser = "videolink",
            SessionId = sessionId,
            SessionVersion = 1,
            OriginAddressType = localAddress.Contains(':', StringComparison.Ordinal) ? "IP6" : "IP4",
            OriginAddress = localAddress,
            SessionName = "VideoLink",
            ConnectionAddress = localAddress,
            ConnectionAddressType = localAddress.Contains(':', StringComparison.Ordinal) ? "IP6" : "IP4",
        };
        for (int i = 0; i < media.Count; i++)
        {
            var n = media[i];
            var m = new MediaDescription { Media = n.Media, Port = local[i].Port, Protocol = "RTP/AVP" };
            string pt = n.PayloadType.ToString(CultureInfo.InvariantCulture);
            m.Formats.Add(pt);
            m.Attributes.Add(new("rtpmap", $"{pt} {n.Encoding}/{n.ClockRate.ToString(CultureInfo.InvariantCulture)}"));
            if (n.Media == "video")
            {
                m.Attributes.Add(new("fmtp", $"{pt} {H264Parameters.Parse(n.Fmtp).ToFmtp()}"));
                m.Attributes.Add(new("rtcp-fb", $"{pt} nack pli"));
                m.Attributes.Add(new("rtcp-fb", $"{pt} ccm fir"));
            }
            if (n.TelephoneEventPayloadType is { } te)
            {
                string tes = te.ToString(CultureInfo.InvariantCulture);
                m.Formats.Add(tes);
                m.Attributes.Add(new("rtpmap", $"{tes} telephone-event/8000"));
                m.Attributes.Add(new("fmtp", $"{tes} 0-15"));
            }
            m.Attributes.Add(new("rtcp", (local[i].Port + 1).ToString(CultureInfo.InvariantCulture)));
            m.Direction = MediaDirection.SendRecv;
            offer.Media.Add(m);
        }
        return offer;
    }

    /// <summary>Where the answerer receives one stream (c= of the m= line or the session), null if unusable.</summary>
    public static System.Net.IPEndPoint? RemoteEndPoint(SessionDescription sdp, MediaDescription m)
    {
        string? address = m.ConnectionAddress ?? sdp.ConnectionAddress;
        if (address is null || m.Port == 0 || !System.Net.IPAddress.TryParse(address, out var ip) || ip.Equals(System.Net.IPAddress.Any))
        {
            return null;
        }
        return new System.Net.IPEndPoint(ip, m.Port);
    }
}
