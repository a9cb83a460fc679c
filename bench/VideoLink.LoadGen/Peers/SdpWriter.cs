using System.Globalization;
using System.Text;
using VideoLink.LoadGen.Media;
using VideoLink.Media.Sdp;

namespace VideoLink.LoadGen.Peers;

/// <summary>
/// The SDP the generator sends: a publisher offer (send-only PCMU + H.264), a receiver offer (WHEP, receive-only) and
/// a receiver answer to Janus's subscriber offer. Always BUNDLE, rtcp-mux, one host candidate and
/// <c>a=setup:active</c>: we are the DTLS client in every role (RFC 8842 §5.2 allows "active" in an offer; the hub and
/// Janus both answer "passive").
/// </summary>
internal static class SdpWriter
{
    private const string H264Fmtp = "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f";

    public static string Offer(LoadPeer peer, string direction, uint audioSsrc = 0, uint videoSsrc = 0)
    {
        var sb = Session(peer, "0 1");
        Media(sb, peer, "audio", "0", StreamShape.AudioPayloadType, direction, audioSsrc,
            $"a=rtpmap:{StreamShape.AudioPayloadType} PCMU/8000\r\n");
        Media(sb, peer, "video", "1", StreamShape.VideoPayloadType, direction, videoSsrc,
            $"a=rtpmap:{StreamShape.VideoPayloadType} H264/90000\r\n" +
            $"a=rtcp-fb:{StreamShape.VideoPayloadType} nack\r\n" +
            $"a=rtcp-fb:{StreamShape.VideoPayloadType} nack pli\r\n" +
            $"a=rtcp-fb:{StreamShape.VideoPayloadType} ccm fir\r\n" +
            $"a=fmtp:{StreamShape.VideoPayloadType} {H264Fmtp}\r\n");
        return sb.ToString();
    }

    /// <summary>Answers an offer (Janus's subscriber offer) receive-only: PCMU and H.264 accepted, anything else rejected.</summary>
    public static string ReceiveOnlyAnswer(LoadPeer peer, SdpDocument offer)
    {
        var accepted = new List<string>();
        var body = new StringBuilder();
        foreach (var m in offer.Media)
        {
            var mid = m.Get("mid") ?? accepted.Count.ToString(CultureInfo.InvariantCulture);
            var codec = m.Kind switch { "audio" => "PCMU", "video" => "H264", _ => null };
            var pt = codec is null ? null : m.GetAll("rtpmap").FirstOrDefault(r => r.Split(' ')[1].StartsWith(codec + "/", StringComparison.OrdinalIgnoreCase))?.Split(' ')[0];
            if (pt is null || m.Port == 0)
            {
                body.Append("m=").Append(m.Kind).Append(" 0 ").Append(m.Protocol).Append(' ').Append(m.Formats.FirstOrDefault() ?? "0").Append("\r\n")
                    .Append("c=IN IP4 0.0.0.0\r\na=mid:").Append(mid).Append("\r\n");
                continue;
            }

            accepted.Add(mid);
            var payloadType = byte.Parse(pt, CultureInfo.InvariantCulture);
            var codecLines = new StringBuilder().Append("a=rtpmap:").Append(m.GetAll("rtpmap").First(r => r.StartsWith(pt + " ", StringComparison.Ordinal))).Append("\r\n");
            foreach (var fmtp in m.GetAll("fmtp").Where(f => f.StartsWith(pt + " ", StringComparison.Ordinal)))
            {
                codecLines.Append("a=fmtp:").Append(fmtp).Append("\r\n");
            }

            Media(body, peer, m.Kind, mid, payloadType, "recvonly", 0, codecLines.ToString());
        }

        var sb = Session(peer, string.Join(' ', accepted));
        sb.Append(body);
        return sb.ToString();
    }

    private static StringBuilder Session(LoadPeer peer, string bundle) =>
        new StringBuilder()
            .Append("v=0\r\no=- ").Append(peer.LocalEndPoint.Port).Append(" 2 IN IP4 ").Append(peer.LocalEndPoint.Address).Append("\r\ns=-\r\nt=0 0\r\n")
            .Append("a=group:BUNDLE ").Append(bundle).Append("\r\n")
            .Append("a=msid-semantic: WMS loadgen\r\n");

    private static void Media(StringBuilder sb, LoadPeer peer, string kind, string mid, byte payloadType, string direction, uint ssrc, string codecLines)
    {
        sb.Append("m=").Append(kind).Append(' ').Append(peer.LocalEndPoint.Port).Append(" UDP/TLS/RTP/SAVPF ").Append(payloadType).Append("\r\n")
            .Append("c=IN IP4 ").Append(peer.LocalEndPoint.Address).Append("\r\n")
            .Append("a=ice-ufrag:").Append(peer.Ufrag).Append("\r\n")
            .Append("a=ice-pwd:").Append(peer.Password).Append("\r\n")
            .Append("a=fingerprint:sha-256 ").Append(peer.Fingerprint).Append("\r\n")
            .Append("a=setup:active\r\n")
            .Append("a=mid:").Append(mid).Append("\r\n")
            .Append('a').Append('=').Append(direction).Append("\r\n")
            .Append("a=rtcp-mux\r\n")
            .Append(codecLines);
        if (ssrc != 0)
        {
            sb.Append("a=msid:loadgen ").Append(kind).Append("\r\n")
                .Append("a=ssrc:").Append(ssrc).Append(" cname:loadgen\r\n")
                .Append("a=ssrc:").Append(ssrc).Append(" msid:loadgen ").Append(kind).Append("\r\n");
        }

        sb.Append("a=").Append(peer.CandidateLine).Append("\r\n")
            .Append("a=end-of-candidates\r\n");
    }
}
