using System.Net;
using VideoLink.Media.Sdp;

namespace VideoLink.Media.Tests.Sdp;

public sealed class WebRtcAnswerBuilderTests
{
    private static readonly AnswerParameters Local = new(
        "abcd1234",
        "0123456789abcdefghijklmn",
        "AA:BB",
        [new IPEndPoint(IPAddress.Parse("192.0.2.10"), 40000)]);

    private static string ChromiumOffer() =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "chromium156-offer-sendonly.sdp"));

    [Fact]
    public void ChromiumOffer_ChoosesPcmuAndConstrainedBaselineH264Mode1()
    {
        var result = WebRtcAnswerBuilder.Negotiate(ChromiumOffer(), Local);

        Assert.Equal(SdpError.None, result.Error);
        var audio = Assert.Single(result.Tracks, t => t.Kind == MediaKind.Audio);
        var video = Assert.Single(result.Tracks, t => t.Kind == MediaKind.Video);
        Assert.Equal(("PCMU", 0), (audio.Codec, audio.PayloadType));
        Assert.Equal(("H264", 108), (video.Codec, video.PayloadType)); // 42e01f, packetization-mode=1
        Assert.Equal(MediaDirection.Receive, video.Direction);
        Assert.NotEmpty(video.RemoteSsrcs);
        Assert.Equal(4, video.MidExtensionId);
        Assert.Equal(2, video.AbsSendTimeExtensionId);
    }

    [Fact]
    public void ChromiumOffer_AnswerIsIceLiteBundledPassiveWithCandidate()
    {
        var result = WebRtcAnswerBuilder.Negotiate(ChromiumOffer(), Local);
        var answer = result.AnswerSdp;

        Assert.Contains("a=ice-lite\r\n", answer, StringComparison.Ordinal);
        Assert.Contains("a=group:BUNDLE 0 1\r\n", answer, StringComparison.Ordinal);
        Assert.Contains("a=setup:passive\r\n", answer, StringComparison.Ordinal);
        Assert.Contains("a=rtcp-mux\r\n", answer, StringComparison.Ordinal);
        Assert.Contains("a=recvonly\r\n", answer, StringComparison.Ordinal);
        Assert.Contains("a=ice-ufrag:abcd1234\r\n", answer, StringComparison.Ordinal);
        Assert.Contains("a=fingerprint:sha-256 AA:BB\r\n", answer, StringComparison.Ordinal);
        Assert.Contains("a=candidate:1 1 udp 2130706431 192.0.2.10 40000 typ host\r\n", answer, StringComparison.Ordinal);
        Assert.Contains("m=video 40000 UDP/TLS/RTP/SAVPF 108\r\n", answer, StringComparison.Ordinal);
        Assert.Contains("a=rtcp-fb:108 nack pli\r\n", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("transport-cc", answer, StringComparison.Ordinal);
        Assert.Equal(95, result.RemoteFingerprint.Length);
        Assert.True(SdpDocument.TryParse(answer, out _, out _));
    }

    [Fact]
    public void RecvonlyOffer_AnswerSendsWithSignalledSsrc()
    {
        var offer = ChromiumOffer().Replace("a=sendonly", "a=recvonly", StringComparison.Ordinal);
        var result = WebRtcAnswerBuilder.Negotiate(offer, Local);

        var video = Assert.Single(result.Tracks, t => t.Kind == MediaKind.Video);
        Assert.Equal(MediaDirection.Send, video.Direction);
        Assert.NotEqual(0u, video.LocalSsrc);
        Assert.Contains($"a=ssrc:{video.LocalSsrc} cname:videolink\r\n", result.AnswerSdp, StringComparison.Ordinal);
    }

    [Fact]
    public void OfferWithOnlyPcmaAndVp8_AcceptsAudioRejectsVideoLine()
    {
        var offer = ChromiumOffer()
            .Replace("m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126", "m=audio 9 UDP/TLS/RTP/SAVPF 111 8", StringComparison.Ordinal)
            .Replace("a=rtpmap:0 PCMU/8000\r\n", string.Empty, StringComparison.Ordinal)
            .Replace("a=rtpmap:0 PCMU/8000\n", string.Empty, StringComparison.Ordinal);
        offer = System.Text.RegularExpressions.Regex.Replace(offer, "m=video 9 UDP/TLS/RTP/SAVPF [0-9 ]+", "m=video 9 UDP/TLS/RTP/SAVPF 96");

        var result = WebRtcAnswerBuilder.Negotiate(offer, Local);

        Assert.Equal(SdpError.None, result.Error);
        var audio = Assert.Single(result.Tracks);
        Assert.Equal("PCMA", audio.Codec);
        Assert.Contains("m=video 0 UDP/TLS/RTP/SAVPF 96\r\n", result.AnswerSdp, StringComparison.Ordinal);
        Assert.Contains("a=group:BUNDLE 0\r\n", result.AnswerSdp, StringComparison.Ordinal);
    }

    [Fact]
    public void OfferWithSessionLevelIceAndFingerprint_IsAccepted()
    {
        // Firefox writes ice-ufrag/pwd and fingerprint at session level.
        var lines = ChromiumOffer().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var moved = lines.Where(l => l.StartsWith("a=ice-ufrag", StringComparison.Ordinal) || l.StartsWith("a=ice-pwd", StringComparison.Ordinal)
            || l.StartsWith("a=fingerprint", StringComparison.Ordinal)).Distinct().ToList();
        lines.RemoveAll(moved.Contains);
        lines.InsertRange(lines.FindIndex(l => l.StartsWith("m=", StringComparison.Ordinal)), moved);

        var result = WebRtcAnswerBuilder.Negotiate(string.Join("\r\n", lines), Local);

        Assert.Equal(SdpError.None, result.Error);
        Assert.Equal(2, result.Tracks.Count);
        Assert.False(string.IsNullOrEmpty(result.RemoteUfrag));
    }

    [Fact]
    public void OfferWithoutBundle_ServesOnlyFirstUsableLine_AndAnswersWithoutGroup()
    {
        var result = WebRtcAnswerBuilder.Negotiate(RemoveLines(ChromiumOffer(), "a=group:BUNDLE"), Local);

        Assert.Equal(SdpError.None, result.Error);
        Assert.Equal(MediaKind.Audio, Assert.Single(result.Tracks).Kind);
        Assert.DoesNotContain("a=group:BUNDLE", result.AnswerSdp, StringComparison.Ordinal);
        Assert.Contains("m=video 0 ", result.AnswerSdp, StringComparison.Ordinal);
    }

    [Fact]
    public void Ipv6Candidate_UsesIp6AddressType()
    {
        var local = Local with { Candidates = [new IPEndPoint(IPAddress.Parse("2001:db8::10"), 40000)] };
        var answer = WebRtcAnswerBuilder.Negotiate(ChromiumOffer(), local).AnswerSdp;
        Assert.Contains("c=IN IP6 2001:db8::10\r\n", answer, StringComparison.Ordinal);
        Assert.Contains("a=candidate:1 1 udp 2130706431 2001:db8::10 40000 typ host\r\n", answer, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", SdpError.Malformed)]
    [InlineData("hello world", SdpError.Malformed)]
    [InlineData("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n", SdpError.NoCommonCodec)]
    public void UnusableOffer_IsRefusedWithReason(string offer, SdpError expected)
    {
        var result = WebRtcAnswerBuilder.Negotiate(offer, Local);
        Assert.Equal(expected, result.Error);
        Assert.NotEmpty(result.ErrorMessage);
    }

    [Fact]
    public void OfferWithoutFingerprint_IsRefused() =>
        Assert.Equal(SdpError.MissingFingerprint, Negotiate(o => RemoveLines(o, "a=fingerprint")));

    [Fact]
    public void OfferWithSha1Fingerprint_IsRefused() =>
        Assert.Equal(SdpError.UnsupportedFingerprintAlgorithm, Negotiate(o => o.Replace("a=fingerprint:sha-256", "a=fingerprint:sha-1", StringComparison.Ordinal)));

    [Fact]
    public void OfferWithSetupPassive_IsAnsweredActive_AndMakesUsDtlsClient()
    {
        var result = WebRtcAnswerBuilder.Negotiate(ChromiumOffer().Replace("a=setup:actpass", "a=setup:passive", StringComparison.Ordinal), Local);
        Assert.Equal(SdpError.None, result.Error);
        Assert.True(result.DtlsClient);
        Assert.Contains("a=setup:active\r\n", result.AnswerSdp, StringComparison.Ordinal);
    }

    [Fact]
    public void OfferWithUnknownSetup_IsRefused() =>
        Assert.Equal(SdpError.UnsupportedDtlsRole, Negotiate(o => o.Replace("a=setup:actpass", "a=setup:holdconn", StringComparison.Ordinal)));

    [Fact]
    public void OfferWithoutIceCredentials_IsRefused() =>
        Assert.Equal(SdpError.MissingIceCredentials, Negotiate(o => RemoveLines(o, "a=ice-pwd")));

    [Fact]
    public void OfferWithoutRtcpMux_IsRefused() =>
        Assert.Equal(SdpError.RtcpMuxRequired, Negotiate(o => RemoveLines(o, "a=rtcp-mux")));

    [Fact]
    public void PlainRtpOffer_HasNoCommonCodec() =>
        Assert.Equal(SdpError.NoCommonCodec, Negotiate(o => o.Replace("UDP/TLS/RTP/SAVPF", "RTP/AVP", StringComparison.Ordinal)));

    [Theory]
    [InlineData("level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f", true)]
    [InlineData("packetization-mode=1;profile-level-id=42E034", true)] // level does not matter
    [InlineData("profile-level-id=42c01f;packetization-mode=1", true)] // constraint_set0+1
    [InlineData("level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f", false)] // Baseline, not constrained
    [InlineData("level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42e01f", false)]
    [InlineData("level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d001f", false)] // Main
    [InlineData("packetization-mode=1", false)]
    public void H264Fmtp_MatchesConstrainedBaselineByProfileClass(string fmtp, bool expected) =>
        Assert.Equal(expected, H264Fmtp.IsConstrainedBaselineMode1(fmtp));

    private static SdpError Negotiate(Func<string, string> edit) => WebRtcAnswerBuilder.Negotiate(edit(ChromiumOffer()), Local).Error;

    private static string RemoveLines(string sdp, string prefix) =>
        string.Join("\n", sdp.Split('\n').Where(l => !l.StartsWith(prefix, StringComparison.Ordinal)));
}
