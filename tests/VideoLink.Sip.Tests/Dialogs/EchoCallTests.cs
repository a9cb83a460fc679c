using System.Net.Sockets;
using VideoLink.Sip.Tests.Infrastructure;

namespace VideoLink.Sip.Tests.Dialogs;

public sealed class EchoCallTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task EchoCall_RtpSentToTheAnchor_ComesBackToTheSender()
    {
        await using var server = await TestServer.StartAsync();
        using var peer = new RawPeer();
        using var call = new RawCall(peer, server.Server.UdpEndPoint!, "alice", "alice-secret");

        string final = await call.InviteAsync($"sip:echo@{TestServer.Domain}", Wait);
        Assert.StartsWith("SIP/2.0 200", final, StringComparison.Ordinal);
        await call.AckAsync();
        var anchor = call.AnsweredAudio();

        for (ushort seq = 1; seq <= 5; seq++)
        {
            byte[] sent = RawCall.RtpPacket(seq, 0x1234);
            await call.Rtp.SendToAsync(sent, SocketFlags.None, anchor).WaitAsync(Wait);
            byte[]? back = await RawCall.ReceiveRtpAsync(call.Rtp, Wait);
            Assert.Equal(sent, back);
        }

        await call.ByeAsync(Wait);
        await Poll.UntilAsync(() => server.Server.ActiveCalls == 0, Wait);
    }

    [Fact]
    public async Task EchoCall_WithoutAck_Retransmits2xxThenHangsUpWithBye()
    {
        await using var server = await TestServer.StartAsync();
        using var peer = new RawPeer();
        using var call = new RawCall(peer, server.Server.UdpEndPoint!, "alice", "alice-secret");

        await call.InviteAsync($"sip:echo@{TestServer.Domain}", Wait);

        // §13.3.1.4: the 2xx is retransmitted (T1 = 100 ms in tests), then BYE after 64*T1 without ACK.
        await peer.ExpectAsync("SIP/2.0 200", Wait);
        string bye = await peer.ExpectAsync("BYE ", TimeSpan.FromSeconds(15));
        Assert.Contains(call.ToHeader!, bye, StringComparison.Ordinal);
        await Poll.UntilAsync(() => server.Server.ActiveCalls == 0, Wait);
    }

    [Fact]
    public async Task EchoCall_SessionExpiresBelowMinSE_Gets422()
    {
        await using var server = await TestServer.StartAsync();
        using var peer = new RawPeer();
        using var call = new RawCall(peer, server.Server.UdpEndPoint!, "alice", "alice-secret");

        string response = await call.InviteAsync($"sip:echo@{TestServer.Domain}", Wait, extraHeaders: "Session-Expires: 30\r\nSupported: timer\r\n");

        Assert.StartsWith("SIP/2.0 422", response, StringComparison.Ordinal);
        Assert.Equal("90", TestDigest.Header(response, "Min-SE"));
    }

    [Fact]
    public async Task EchoCall_NoCommonCodec_Gets488()
    {
        await using var server = await TestServer.StartAsync();
        using var peer = new RawPeer();
        using var call = new RawCall(peer, server.Server.UdpEndPoint!, "alice", "alice-secret");
        string g729Only = "v=0\r\no=raw 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 18\r\na=rtpmap:18 G729/8000\r\n";

        string final = await call.InviteAsync($"sip:echo@{TestServer.Domain}", Wait, g729Only);

        Assert.StartsWith("SIP/2.0 488", final, StringComparison.Ordinal);
        await Poll.UntilAsync(() => server.Server.ActiveCalls == 0, Wait);
    }

    [Fact]
    public async Task Invite_MaxForwardsZero_Gets483()
    {
        await using var server = await TestServer.StartAsync();
        using var peer = new RawPeer();
        using var call = new RawCall(peer, server.Server.UdpEndPoint!, "alice", "alice-secret");

        await peer.SendAsync(call.Invite($"sip:echo@{TestServer.Domain}", null).Replace("Max-Forwards: 70", "Max-Forwards: 0", StringComparison.Ordinal), server.Server.UdpEndPoint!);

        Assert.StartsWith("SIP/2.0 483", await peer.ExpectAsync("SIP/2.0 4", Wait), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("OPTIONS")]
    [InlineData("MESSAGE")]
    [InlineData("SUBSCRIBE")]
    public async Task OutOfDialogRequest_ForForeignDomain_IsRefusedNotRelayed(string method)
    {
        await using var server = await TestServer.StartAsync();
        using var peer = new RawPeer();
        string request = $"{method} sip:someone@example.net SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{peer.Port};branch=z9hG4bK{Guid.NewGuid():N};rport\r\n" +
            $"From: <sip:alice@{TestServer.Domain}>;tag=a\r\nTo: <sip:someone@example.net>\r\nCall-ID: {Guid.NewGuid():N}@test\r\nCSeq: 1 {method}\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";

        await peer.SendAsync(request, server.Server.UdpEndPoint!);

        Assert.StartsWith("SIP/2.0 403 Relay Denied", await peer.ExpectAsync("SIP/2.0 ", Wait), StringComparison.Ordinal);
        await Poll.UntilAsync(() => server.Server.Counters.MessagesSent == 1, Wait); // the 403, and nothing towards example.net
        Assert.Null(await peer.ReceiveAsync(TimeSpan.FromMilliseconds(200)));
        Assert.Equal(1, server.Server.Counters.MessagesSent);
    }

    [Fact]
    public async Task EchoCall_WithoutSdp_HubOffersIn200AndTakesTheAnswerFromAck()
    {
        await using var server = await TestServer.StartAsync();
        using var peer = new RawPeer();
        using var call = new RawCall(peer, server.Server.UdpEndPoint!, "alice", "alice-secret");

        string final = await call.InviteAsync($"sip:echo@{TestServer.Domain}", Wait, body: "");

        Assert.StartsWith("SIP/2.0 200", final, StringComparison.Ordinal);
        Assert.Contains("m=audio ", call.Answer, StringComparison.Ordinal); // the hub's offer
        Assert.Contains("m=video ", call.Answer, StringComparison.Ordinal);
        await call.AckAsync(call.Offer()); // our answer: audio PCMU, video refused
        var anchor = call.AnsweredAudio();
        byte[] sent = RawCall.RtpPacket(1, 0x1A7E);
        await call.Rtp.SendToAsync(sent, SocketFlags.None, anchor).WaitAsync(Wait);
        Assert.Equal(sent, await RawCall.ReceiveRtpAsync(call.Rtp, Wait));
        Assert.Equal(1, server.Server.ActiveCalls);

        await call.ByeAsync(Wait);
        await Poll.UntilAsync(() => server.Server.ActiveCalls == 0, Wait);
    }

    [Fact]
    public async Task EchoCall_WithoutSdp_AckWithoutAnswer_IsHungUp()
    {
        await using var server = await TestServer.StartAsync();
        using var peer = new RawPeer();
        using var call = new RawCall(peer, server.Server.UdpEndPoint!, "alice", "alice-secret");

        Assert.StartsWith("SIP/2.0 200", await call.InviteAsync($"sip:echo@{TestServer.Domain}", Wait, body: ""), StringComparison.Ordinal);
        await call.AckAsync();

        string bye = await peer.ExpectAsync("BYE ", Wait);
        Assert.Contains(call.CallId, bye, StringComparison.Ordinal);
        await Poll.UntilAsync(() => server.Server.ActiveCalls == 0, Wait);
    }

    [Fact]
    public async Task BridgeCall_WithoutSdp_StillGets488()
    {
        await using var server = await TestServer.StartAsync();
        using var bobPeer = new RawPeer();
        Assert.StartsWith("SIP/2.0 200", await new RawRegistration(bobPeer, server.Server.UdpEndPoint!, "bob", "bob-secret").RegisterAsync($"<sip:bob@127.0.0.1:{bobPeer.Port}>", 300), StringComparison.Ordinal);
        using var peer = new RawPeer();
        using var call = new RawCall(peer, server.Server.UdpEndPoint!, "alice", "alice-secret");

        Assert.StartsWith("SIP/2.0 488", await call.InviteAsync($"sip:bob@{TestServer.Domain}", Wait, body: ""), StringComparison.Ordinal);
    }
}
