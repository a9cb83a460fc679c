using VideoLink.Sip.Sdp;

namespace VideoLink.Sip.Tests.Sdp;

public sealed class SdpTests
{
    private static SessionDescription Load(string name)
    {
        string text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "Sdp", name));
        Assert.True(SdpParser.TryParse(text, out var sdp, out string? error), error);
        return sdp;
    }

    [Fact]
    public void Parse_DeskPhoneOffer_ReadsMediaCodecsAndDirections()
    {
        var sdp = Load("desk_phone_offer.sdp");

        Assert.Equal("192.168.1.20", sdp.ConnectionAddress);
        Assert.Equal(3, sdp.Media.Count);
        var audio = sdp.Media[0];
        Assert.Equal(11800, audio.Port);
        Assert.Equal(["8", "0", "18", "101"], audio.Formats);
        Assert.Equal("PCMA", audio.GetRtpMap(8)!.Encoding);
        Assert.Equal("0-15", audio.GetFmtp(101));
        Assert.Equal(MediaDirection.SendRecv, audio.Direction);
        Assert.Equal(MediaDirection.SendOnly, sdp.Media[1].Direction);
        Assert.Equal(["AS:2048"], sdp.Media[1].Bandwidths);
        Assert.True(sdp.Media[2].IsRejected);
    }

    [Theory]
    [InlineData("profile-level-id=42e01f;packetization-mode=1", "ConstrainedBaseline", 1)]
    [InlineData("profile-level-id=42001f", "Baseline", 0)]
    [InlineData("profile-level-id=4d001f", "Main", 0)]
    [InlineData("profile-level-id=4d801f", "ConstrainedBaseline", 0)]
    [InlineData("profile-level-id=640028;packetization-mode=1", "High", 1)]
    [InlineData("packetization-mode=1", "Baseline", 1)]
    public void H264_ProfileClass_FollowsRfc6184Table5(string fmtp, string expected, int mode)
    {
        var p = H264Parameters.Parse(fmtp);
        Assert.Equal(expected, p.ProfileClass.ToString());
        Assert.Equal(mode, p.PacketizationMode);
    }

    [Fact]
    public void H264_ProfilesDifferingOnlyInLevel_AreCompatible()
    {
        var a = H264Parameters.Parse("profile-level-id=42e01f;packetization-mode=1");
        var b = H264Parameters.Parse("profile-level-id=42e034;packetization-mode=1");
        var c = H264Parameters.Parse("profile-level-id=42e01f;packetization-mode=0");

        Assert.True(a.IsCompatibleWith(b));
        Assert.False(a.IsCompatibleWith(c));
    }

    [Fact]
    public void Answer_DeskPhoneOffer_PicksPcmaAndConstrainedBaselineAndMirrorsDirection()
    {
        var offer = Load("desk_phone_offer.sdp");
        var chosen = SdpOfferAnswer.Negotiate(offer);

        var answer = SdpOfferAnswer.CreateAnswer(offer, chosen, [new MediaEndpoint("10.0.0.1", 30000), new MediaEndpoint("10.0.0.1", 30002), null], "10.0.0.1", 1, 1);
        string text = answer.ToString();
        Assert.True(SdpParser.TryParse(text, out var reparsed, out _));

        Assert.Equal(3, reparsed.Media.Count); // §6: same number of m= lines as the offer
        Assert.Equal(["8", "101"], reparsed.Media[0].Formats); // offerer's order: PCMA first
        Assert.Equal(["99"], reparsed.Media[1].Formats); // High profile skipped, CB chosen
        Assert.Equal("profile-level-id=42e01f;packetization-mode=1", reparsed.Media[1].GetFmtp(99));
        Assert.Equal(MediaDirection.RecvOnly, reparsed.Media[1].Direction);
        Assert.Equal(0, reparsed.Media[2].Port);
        Assert.Equal(30001, reparsed.Media[0].RtcpPort);
    }

    [Fact]
    public void Negotiate_ChromiumOffer_SkipsSrtpProfileLines()
    {
        // The hub's SIP legs are plain RTP/AVP; SAVPF lines belong to the WebRTC path (VideoLink.Media).
        var chosen = SdpOfferAnswer.Negotiate(Load("chromium_offer.sdp"));
        Assert.All(chosen, Assert.Null);
    }

    [Fact]
    public void Negotiate_ChromiumCodecsAsPlainRtp_PicksPcmuAndCbH264WithMode1()
    {
        var sdp = Load("chromium_offer.sdp");
        foreach (var m in sdp.Media)
        {
            m.Protocol = "RTP/AVP";
        }

        var chosen = SdpOfferAnswer.Negotiate(sdp);

        Assert.Equal("PCMU", chosen[0]!.Encoding);
        Assert.Equal(126, chosen[0]!.TelephoneEventPayloadType);
        Assert.True(chosen[0]!.RtcpMux);
        Assert.Equal(104, chosen[1]!.PayloadType); // first CB in offer order (mode 0 also accepted)
    }

    [Theory]
    [InlineData("v=0\r\ns=x\r\n")]
    [InlineData("v=1\r\no=- 1 1 IN IP4 1.2.3.4\r\n")]
    [InlineData("v=0\r\no=- x 1 IN IP4 1.2.3.4\r\n")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\nm=audio port RTP/AVP 0\r\n")]
    [InlineData("garbage")]
    public void Parse_Malformed_ReturnsErrorNotException(string text) => Assert.False(SdpParser.TryParse(text, out _, out _));
}
