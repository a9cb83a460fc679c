using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace VideoLink.Media.Sdp;

/// <summary>Our side of an answer: ICE credentials, certificate fingerprint and candidate addresses.</summary>
internal sealed record AnswerParameters(
    string LocalUfrag,
    string LocalPassword,
    string LocalFingerprint,
    IReadOnlyList<IPEndPoint> Candidates);

/// <summary>The outcome of answering an offer: either an answer and the agreed tracks, or an error.</summary>
internal sealed record NegotiationResult
{
    public SdpError Error { get; init; }

    public string ErrorMessage { get; init; } = string.Empty;

    public string AnswerSdp { get; init; } = string.Empty;

    public string RemoteUfrag { get; init; } = string.Empty;

    public string RemotePassword { get; init; } = string.Empty;

    public string RemoteFingerprint { get; init; } = string.Empty;

    public IReadOnlyList<NegotiatedTrack> Tracks { get; init; } = [];

    /// <summary>True when the offer was <c>a=setup:passive</c>, so we run the DTLS client.</summary>
    public bool DtlsClient { get; init; }

    public static NegotiationResult Fail(SdpError error, string message) => new() { Error = error, ErrorMessage = message };
}

/// <summary>
/// Answers a browser's WebRTC offer (RFC 8829 §5.3, RFC 8843 BUNDLE, RFC 8839 ICE, RFC 8842 DTLS roles) as an
/// ICE-lite, DTLS-passive endpoint: every m= line is bundled on our one port, codecs are H.264 Constrained Baseline
/// with packetization-mode 1 and PCMU/PCMA (PCMU preferred), so SIP phones and browsers share streams untranscoded.
/// </summary>
internal static class WebRtcAnswerBuilder
{
    public const string MidExtensionUri = "urn:ietf:params:rtp-hdrext:sdes:mid";
    public const string AbsSendTimeUri = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";

    private static readonly string[] VideoFeedback = ["nack", "nack pli", "ccm fir", "goog-remb"];

    public static NegotiationResult Negotiate(string offerSdp, AnswerParameters local)
    {
        if (!SdpDocument.TryParse(offerSdp, out var offer, out var parseError))
        {
            return NegotiationResult.Fail(SdpError.Malformed, parseError);
        }

        if (offer.Media.Count == 0)
        {
            return NegotiationResult.Fail(SdpError.NoCommonCodec, "offer has no media sections");
        }

        var first = offer.Media[0];
        var ufrag = first.Get("ice-ufrag") ?? offer.GetSession("ice-ufrag");
        var pwd = first.Get("ice-pwd") ?? offer.GetSession("ice-pwd");
        if (string.IsNullOrEmpty(ufrag) || string.IsNullOrEmpty(pwd))
        {
            return NegotiationResult.Fail(SdpError.MissingIceCredentials, "offer lacks a=ice-ufrag / a=ice-pwd");
        }

        var fingerprint = first.Get("fingerprint") ?? offer.GetSession("fingerprint");
        if (string.IsNullOrEmpty(fingerprint))
        {
            return NegotiationResult.Fail(SdpError.MissingFingerprint, "offer lacks a=fingerprint");
        }

        var fpParts = fingerprint.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        if (fpParts.Length != 2 || !fpParts[0].Equals("sha-256", StringComparison.OrdinalIgnoreCase))
        {
            return NegotiationResult.Fail(SdpError.UnsupportedFingerprintAlgorithm, "only a=fingerprint:sha-256 is supported");
        }

        // RFC 8842 §5.3: to actpass we answer passive (we are the DTLS server, so a browser's ClientHello can come
        // straight after its first ICE check); to active, passive; to passive, active (we are the client).
        var setup = first.Get("setup") ?? offer.GetSession("setup") ?? "actpass";
        if (setup is not ("actpass" or "active" or "passive"))
        {
            return NegotiationResult.Fail(SdpError.UnsupportedDtlsRole, "unknown a=setup:" + setup);
        }

        var weAreDtlsClient = setup == "passive";

        var tracks = new List<NegotiatedTrack>();
        var sb = new StringBuilder(2048);
        var sessionId = RandomNumberGenerator.GetInt32(1, int.MaxValue).ToString(CultureInfo.InvariantCulture);
        var bundled = new List<string>();
        var sections = new StringBuilder();
        // Without BUNDLE every m= line would be its own ICE/DTLS transport, but all our m= lines share one ufrag
        // and one port: then only the first usable line can be served (RFC 8843 §7.3).
        var offeredBundle = (offer.GetSession("group") ?? string.Empty).StartsWith("BUNDLE", StringComparison.Ordinal);
        var sectionIndex = 0;
        foreach (var media in offer.Media)
        {
            var mid = media.Get("mid") ?? sectionIndex.ToString(CultureInfo.InvariantCulture);
            sectionIndex++;
            var track = media.Protocol.Contains("SAVPF", StringComparison.Ordinal) && (offeredBundle || tracks.Count == 0)
                ? ChooseTrack(media, mid)
                : null;
            if (track is null)
            {
                // RFC 8866 §5.14 / RFC 8843 §7.3.3: reject with port 0, keep the mid.
                sections.Append("m=").Append(media.Kind).Append(" 0 ").Append(media.Protocol).Append(' ')
                    .Append(media.Formats.Count > 0 ? media.Formats[0] : "0").Append("\r\n")
                    .Append("c=IN IP4 0.0.0.0\r\n")
                    .Append("a=mid:").Append(mid).Append("\r\n")
                    .Append("a=inactive\r\n");
                continue;
            }

            if (!media.Has("rtcp-mux"))
            {
                return NegotiationResult.Fail(SdpError.RtcpMuxRequired, "m=" + media.Kind + " lacks a=rtcp-mux");
            }

            tracks.Add(track);
            bundled.Add(mid);
            AppendSection(sections, media, track, local, weAreDtlsClient);
        }

        if (tracks.Count == 0)
        {
            return NegotiationResult.Fail(
                SdpError.NoCommonCodec,
                "no m= section offers H.264 Constrained Baseline (packetization-mode=1) or PCMU/PCMA over UDP/TLS/RTP/SAVPF");
        }

        var origin = local.Candidates.Count > 0 ? local.Candidates[0].Address.ToString() : "127.0.0.1";
        sb.Append("v=0\r\n")
            .Append("o=- ").Append(sessionId).Append(" 2 IN ").Append(AddressType(origin)).Append(' ').Append(origin).Append("\r\n")
            .Append("s=VideoLink\r\n")
            .Append("t=0 0\r\n")
            .Append("a=ice-lite\r\n")
            .Append(offeredBundle ? "a=group:BUNDLE " + string.Join(' ', bundled) + "\r\n" : string.Empty)
            .Append("a=msid-semantic: WMS *\r\n")
            .Append(sections);

        return new NegotiationResult
        {
            AnswerSdp = sb.ToString(),
            RemoteUfrag = ufrag,
            RemotePassword = pwd,
            RemoteFingerprint = fpParts[1].Trim(),
            DtlsClient = weAreDtlsClient,
            Tracks = tracks,
        };
    }

    private static NegotiatedTrack? ChooseTrack(SdpMediaSection media, string mid)
    {
        var rtpmaps = new Dictionary<int, (string Name, int Clock)>();
        foreach (var value in media.GetAll("rtpmap"))
        {
            var space = value.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && int.TryParse(value.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out var pt))
            {
                var enc = value[(space + 1)..].Split('/');
                _ = int.TryParse(enc.Length > 1 ? enc[1] : "0", NumberStyles.None, CultureInfo.InvariantCulture, out var clock);
                rtpmaps[pt] = (enc[0], clock);
            }
        }

        var fmtps = new Dictionary<int, string>();
        foreach (var value in media.GetAll("fmtp"))
        {
            var space = value.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && int.TryParse(value.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out var pt))
            {
                fmtps[pt] = value[(space + 1)..];
            }
        }

        int? chosen = null;
        string codec = string.Empty;
        var clockRate = 0;
        MediaKind kind;
        if (media.Kind == "audio")
        {
            kind = MediaKind.Audio;
            foreach (var name in (string[])["PCMU", "PCMA"])
            {
                foreach (var format in media.Formats)
                {
                    if (!int.TryParse(format, NumberStyles.None, CultureInfo.InvariantCulture, out var pt))
                    {
                        continue;
                    }

                    // Static payload types 0 and 8 need no rtpmap (RFC 3551 §6).
                    var isMatch = rtpmaps.TryGetValue(pt, out var map)
                        ? map.Name.Equals(name, StringComparison.OrdinalIgnoreCase) && map.Clock == 8000
                        : (name == "PCMU" && pt == 0) || (name == "PCMA" && pt == 8);
                    if (isMatch)
                    {
                        chosen = pt;
                        codec = name;
                        clockRate = 8000;
                        break;
                    }
                }

                if (chosen is not null)
                {
                    break;
                }
            }
        }
        else if (media.Kind == "video")
        {
            kind = MediaKind.Video;
            foreach (var format in media.Formats)
            {
                if (int.TryParse(format, NumberStyles.None, CultureInfo.InvariantCulture, out var pt)
                    && rtpmaps.TryGetValue(pt, out var map)
                    && map.Name.Equals("H264", StringComparison.OrdinalIgnoreCase)
                    && fmtps.TryGetValue(pt, out var fmtp)
                    && H264Fmtp.IsConstrainedBaselineMode1(fmtp))
                {
                    chosen = pt;
                    codec = "H264";
                    clockRate = 90000;
                    break;
                }
            }
        }
        else
        {
            return null;
        }

        if (chosen is null)
        {
            return null;
        }

        var offered = DirectionOf(media);

        // Our direction mirrors the offer's (RFC 8829 §5.3.1): a browser that sends is one we receive from.
        var ours = MediaDirection.Inactive;
        if (offered.HasFlag(MediaDirection.Send))
        {
            ours |= MediaDirection.Receive;
        }

        if (offered.HasFlag(MediaDirection.Receive))
        {
            ours |= MediaDirection.Send;
        }

        var remoteSsrcs = new List<uint>();
        foreach (var ssrcLine in media.GetAll("ssrc"))
        {
            var space = ssrcLine.IndexOf(' ', StringComparison.Ordinal);
            if (uint.TryParse(space < 0 ? ssrcLine : ssrcLine[..space], NumberStyles.None, CultureInfo.InvariantCulture, out var ssrc)
                && !remoteSsrcs.Contains(ssrc))
            {
                remoteSsrcs.Add(ssrc);
            }
        }

        return new NegotiatedTrack
        {
            Kind = kind,
            Mid = mid,
            PayloadType = chosen.Value,
            Codec = codec,
            ClockRate = clockRate,
            Direction = ours,
            RemoteSsrcs = remoteSsrcs,
            LocalSsrc = ours.HasFlag(MediaDirection.Send) ? (uint)RandomNumberGenerator.GetInt32(1, int.MaxValue) : 0,
            MidExtensionId = ExtensionId(media, MidExtensionUri),
            AbsSendTimeExtensionId = ExtensionId(media, AbsSendTimeUri),
        };
    }

    /// <summary>RFC 8866 §5.7 addrtype of a literal address.</summary>
    private static string AddressType(string address) => address.Contains(':', StringComparison.Ordinal) ? "IP6" : "IP4";

    private static MediaDirection DirectionOf(SdpMediaSection media)
    {
        if (media.Has("sendonly"))
        {
            return MediaDirection.Send;
        }

        if (media.Has("recvonly"))
        {
            return MediaDirection.Receive;
        }

        return media.Has("inactive") ? MediaDirection.Inactive : MediaDirection.SendReceive;
    }

    private static int ExtensionId(SdpMediaSection media, string uri)
    {
        foreach (var value in media.GetAll("extmap"))
        {
            var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 2 && parts[1] == uri
                && int.TryParse(parts[0].Split('/')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return id;
            }
        }

        return 0;
    }

    private static void AppendSection(StringBuilder sb, SdpMediaSection media, NegotiatedTrack track, AnswerParameters local, bool dtlsClient)
    {
        var port = local.Candidates.Count > 0 ? local.Candidates[0].Port : 9;
        var address = local.Candidates.Count > 0 ? local.Candidates[0].Address.ToString() : "0.0.0.0";
        var pt = track.PayloadType.ToString(CultureInfo.InvariantCulture);
        sb.Append("m=").Append(media.Kind).Append(' ').Append(port).Append(" UDP/TLS/RTP/SAVPF ").Append(pt).Append("\r\n")
            .Append("c=IN ").Append(AddressType(address)).Append(' ').Append(address).Append("\r\n")
            .Append("a=mid:").Append(track.Mid).Append("\r\n")
            .Append("a=ice-ufrag:").Append(local.LocalUfrag).Append("\r\n")
            .Append("a=ice-pwd:").Append(local.LocalPassword).Append("\r\n")
            .Append("a=fingerprint:sha-256 ").Append(local.LocalFingerprint).Append("\r\n")
            .Append(dtlsClient ? "a=setup:active\r\n" : "a=setup:passive\r\n")
            .Append("a=rtcp-mux\r\n");
        if (media.Has("rtcp-rsize"))
        {
            sb.Append("a=rtcp-rsize\r\n");
        }

        if (track.MidExtensionId > 0)
        {
            sb.Append("a=extmap:").Append(track.MidExtensionId).Append(' ').Append(MidExtensionUri).Append("\r\n");
        }

        if (track.AbsSendTimeExtensionId > 0)
        {
            sb.Append("a=extmap:").Append(track.AbsSendTimeExtensionId).Append(' ').Append(AbsSendTimeUri).Append("\r\n");
        }

        sb.Append(track.Direction switch
        {
            MediaDirection.Send => "a=sendonly\r\n",
            MediaDirection.Receive => "a=recvonly\r\n",
            MediaDirection.SendReceive => "a=sendrecv\r\n",
            _ => "a=inactive\r\n",
        });
        sb.Append("a=rtpmap:").Append(pt).Append(' ').Append(track.Codec).Append('/').Append(track.ClockRate).Append("\r\n");
        if (track.Kind == MediaKind.Video)
        {
            foreach (var fb in VideoFeedback)
            {
                sb.Append("a=rtcp-fb:").Append(pt).Append(' ').Append(fb).Append("\r\n");
            }

            sb.Append("a=fmtp:").Append(pt).Append(" level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f\r\n");
        }

        if (track.Direction.HasFlag(MediaDirection.Send))
        {
            // Signalled SSRC (RFC 5576) so the browser maps our rewritten stream to this m= line.
            var ssrc = track.LocalSsrc.ToString(CultureInfo.InvariantCulture);
            var trackId = "videolink-" + track.Kind.ToString().ToLowerInvariant();
            sb.Append("a=msid:videolink ").Append(trackId).Append("\r\n")
                .Append("a=ssrc:").Append(ssrc).Append(" cname:videolink\r\n")
                .Append("a=ssrc:").Append(ssrc).Append(" msid:videolink ").Append(trackId).Append("\r\n");
        }

        var foundation = 1;
        foreach (var candidate in local.Candidates)
        {
            // RFC 8839 §5.1; host type preference 126, local preference 65535, component 1.
            sb.Append("a=candidate:").Append(foundation++).Append(" 1 udp 2130706431 ")
                .Append(candidate.Address).Append(' ').Append(candidate.Port).Append(" typ host\r\n");
        }

        sb.Append("a=end-of-candidates\r\n");
    }
}

/// <summary>H.264 fmtp matching (RFC 6184 §8.1): profile class by profile_idc and constraint flags, not level.</summary>
internal static class H264Fmtp
{
    public static bool IsConstrainedBaselineMode1(string fmtp)
    {
        string? profile = null;
        string? mode = null;
        foreach (var part in fmtp.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                continue;
            }

            var key = part[..eq];
            if (key.Equals("profile-level-id", StringComparison.OrdinalIgnoreCase))
            {
                profile = part[(eq + 1)..];
            }
            else if (key.Equals("packetization-mode", StringComparison.OrdinalIgnoreCase))
            {
                mode = part[(eq + 1)..];
            }
        }

        if (mode != "1" || profile is null || profile.Length != 6
            || !byte.TryParse(profile.AsSpan(0, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var profileIdc)
            || !byte.TryParse(profile.AsSpan(2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var iop))
        {
            return false;
        }

        // Constrained Baseline: profile_idc 66 (0x42) with constraint_set1_flag (0x40) set (RFC 6184 Table 5).
        return profileIdc == 0x42 && (iop & 0x40) != 0;
    }
}
