#if MEDIA_INTERNALS
using System.Text;

namespace VideoLink.Bench.Support;

/// <summary>
/// A Chromium-shaped BUNDLE offer (PCMU audio, H.264 42e01f video, rtcp-mux). No DTLS runs in the benchmarks, so the
/// fingerprint only has to be well-formed.
/// </summary>
internal static class BenchOffer
{
    public const byte VideoPayloadType = 108;
    public const uint PublisherVideoSsrc = 2222;

    private const string Fingerprint =
        "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99";

    public static string Create(string ufrag, string direction)
    {
        var sb = new StringBuilder();
        sb.Append("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n");
        AppendMedia(sb, ufrag, "audio", "0", "0", direction, 1111, "a=rtpmap:0 PCMU/8000\r\n");
        AppendMedia(sb, ufrag, "video", "1", "108", direction, PublisherVideoSsrc,
            "a=rtpmap:108 H264/90000\r\na=rtcp-fb:108 nack pli\r\n" +
            "a=fmtp:108 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f\r\n");
        return sb.ToString();
    }

    private static void AppendMedia(
        StringBuilder sb, string ufrag, string kind, string mid, string formats, string direction, uint ssrc, string codecs) =>
        sb.Append("m=").Append(kind).Append(" 9 UDP/TLS/RTP/SAVPF ").Append(formats).Append("\r\n")
            .Append("c=IN IP4 0.0.0.0\r\n")
            .Append("a=ice-ufrag:").Append(ufrag).Append("\r\n")
            .Append("a=ice-pwd:benchmarkbenchmarkbenchmark\r\n")
            .Append("a=fingerprint:sha-256 ").Append(Fingerprint).Append("\r\n")
            .Append("a=setup:actpass\r\n")
            .Append("a=mid:").Append(mid).Append("\r\n")
            .Append("a=").Append(direction).Append("\r\n")
            .Append("a=rtcp-mux\r\n")
            .Append(codecs)
            .Append("a=ssrc:").Append(ssrc).Append(" cname:bench\r\n");
}
#endif
