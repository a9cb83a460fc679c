using VideoLink.Sip.Tests.Infrastructure;

namespace VideoLink.Sip.Tests.Dialogs;

public sealed class SessionTimerAndInfoTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private static async Task<RawCall> EstablishEchoAsync(TestServer server, RawPeer peer, string extraHeaders)
    {
        var call = new RawCall(peer, server.Server.UdpEndPoint!, "alice", "alice-secret");
        string ok = await call.InviteAsync($"sip:echo@{TestServer.Domain}", Wait, extraHeaders: extraHeaders);
        Assert.StartsWith("SIP/2.0 200", ok, StringComparison.Ordinal);
        long before = server.Server.Counters.MessagesReceived;
        await call.AckAsync();
        // The manual clock must not move before the ACK is in, or the 2xx retransmission timer would fire.
        await Poll.UntilAsync(() => server.Server.Counters.MessagesReceived > before, Wait, "ACK received");
        return call;
    }

    [Fact]
    public async Task SessionTimer_UacNeverRefreshes_HubSendsByeAfterTheInterval()
    {
        var time = new ManualTimeProvider();
        await using var server = await TestServer.StartAsync(null, time);
        using var peer = new RawPeer();
        using var call = await EstablishEchoAsync(server, peer, "Supported: timer\r\nSession-Expires: 120;refresher=uac\r\n");
        Assert.Equal(1, server.Server.ActiveCalls);

        // RFC 4028 §10: without a refresh the session ends at 120 − min(32, 120/3) = 88 s.
        time.Advance(TimeSpan.FromSeconds(87));
        Assert.Equal(1, server.Server.ActiveCalls);
        time.Advance(TimeSpan.FromSeconds(2));

        string bye = await peer.ExpectAsync("BYE ", Wait);
        Assert.Contains(call.ToHeader!, bye, StringComparison.Ordinal);
        await Poll.UntilAsync(() => server.Server.ActiveCalls == 0, Wait);
    }

    [Fact]
    public async Task SessionTimer_CallerWithoutTimerSupport_HubRefreshesWithReInviteAndAcks()
    {
        var time = new ManualTimeProvider();
        await using var server = await TestServer.StartAsync(o => o.SessionExpires = 600, time);
        using var peer = new RawPeer();
        using var call = await EstablishEchoAsync(server, peer, "");

        time.Advance(TimeSpan.FromSeconds(300)); // refresher=uas: the hub refreshes at half the interval

        string reInvite = await peer.ExpectAsync("INVITE ", Wait);
        Assert.Contains("Session-Expires: 600;refresher=uac", reInvite, StringComparison.Ordinal);
        Assert.Contains("m=audio", reInvite, StringComparison.Ordinal); // same SDP offered again
        var lines = reInvite.Split("\r\n");
        string ok = "SIP/2.0 200 OK\r\n" + string.Join("\r\n", lines.Where(l => l.StartsWith("Via:", StringComparison.Ordinal) || l.StartsWith("From:", StringComparison.Ordinal)
            || l.StartsWith("To:", StringComparison.Ordinal) || l.StartsWith("Call-ID:", StringComparison.Ordinal) || l.StartsWith("CSeq:", StringComparison.Ordinal)))
            + $"\r\nContact: <sip:alice@127.0.0.1:{peer.Port}>\r\nContent-Length: 0\r\n\r\n";
        await peer.SendAsync(ok, server.Server.UdpEndPoint!);

        string ack = await peer.ExpectAsync("ACK ", Wait);
        Assert.Contains(TestDigest.Header(reInvite, "CSeq").Split(' ')[0] + " ACK", ack, StringComparison.Ordinal);
        Assert.Equal(1, server.Server.ActiveCalls);
    }

    [Fact]
    public async Task SessionTimer_RefreshByUpdate_KeepsTheCall()
    {
        var time = new ManualTimeProvider();
        await using var server = await TestServer.StartAsync(null, time);
        using var peer = new RawPeer();
        using var call = await EstablishEchoAsync(server, peer, "Supported: timer\r\nSession-Expires: 120;refresher=uac\r\n");

        time.Advance(TimeSpan.FromSeconds(60));
        string update = $"UPDATE sip:hub@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{peer.Port};branch=z9hG4bKupd1;rport\r\n" +
            $"From: <sip:alice@{TestServer.Domain}>;tag={call.FromTag}\r\nTo: {call.ToHeader}\r\n" +
            $"Call-ID: {call.CallId}\r\nCSeq: 50 UPDATE\r\nSession-Expires: 120;refresher=uac\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
        await peer.SendAsync(update, server.Server.UdpEndPoint!);
        string ok = await peer.ExpectAsync("SIP/2.0 200", Wait);
        Assert.True(ok.Contains("Session-Expires: 120;refresher=uac", StringComparison.Ordinal), ok);

        time.Advance(TimeSpan.FromSeconds(60)); // 120 s after the INVITE, 60 s after the refresh
        Assert.Null(await peer.ReceiveAsync(TimeSpan.FromMilliseconds(300)));
        Assert.Equal(1, server.Server.ActiveCalls);
    }

    [Fact]
    public async Task Info_PictureFastUpdate_IsAnsweredAndSentBackToTheEchoCaller()
    {
        await using var server = await TestServer.StartAsync();
        using var peer = new RawPeer();
        using var call = await EstablishEchoAsync(server, peer, "");
        string body = "<?xml version=\"1.0\" encoding=\"utf-8\" ?><media_control><vc_primitive><to_encoder><picture_fast_update/></to_encoder></vc_primitive></media_control>";
        string fromTag = call.FromTag;
        string callId = call.CallId;
        string info = $"INFO sip:hub@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{peer.Port};branch=z9hG4bKinfo1;rport\r\n" +
            $"From: <sip:alice@{TestServer.Domain}>;tag={fromTag}\r\nTo: {call.ToHeader}\r\nCall-ID: {callId}\r\nCSeq: 60 INFO\r\nMax-Forwards: 70\r\n" +
            $"Content-Type: application/media_control+xml\r\nContent-Length: {body.Length}\r\n\r\n{body}";

        await peer.SendAsync(info, server.Server.UdpEndPoint!);

        // RFC 5168: the hub answers 200 and, in echo, asks the caller's own encoder for a keyframe.
        var seen = new List<string>();
        var deadline = DateTime.UtcNow + Wait;
        while ((!seen.Exists(m => m.StartsWith("SIP/2.0 200", StringComparison.Ordinal)) || !seen.Exists(m => m.StartsWith("INFO ", StringComparison.Ordinal))) && DateTime.UtcNow < deadline)
        {
            string? m = await peer.ReceiveAsync(deadline - DateTime.UtcNow);
            if (m is not null)
            {
                seen.Add(m);
            }
        }
        string back = Assert.Single(seen, m => m.StartsWith("INFO ", StringComparison.Ordinal));
        Assert.Contains("picture_fast_update", back, StringComparison.Ordinal);
        Assert.Contains("SIP/2.0 200", seen.Find(m => m.StartsWith("SIP/2.0 200", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InDialogRequest_ForUnknownDialog_Gets481()
    {
        await using var server = await TestServer.StartAsync();
        using var peer = new RawPeer();
        string bye = $"BYE sip:hub@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{peer.Port};branch=z9hG4bKbye481;rport\r\n" +
            $"From: <sip:alice@{TestServer.Domain}>;tag=a\r\nTo: <sip:echo@{TestServer.Domain}>;tag=nope\r\nCall-ID: none@test\r\nCSeq: 2 BYE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";

        await peer.SendAsync(bye, server.Server.UdpEndPoint!);

        Assert.StartsWith("SIP/2.0 481", await peer.ExpectAsync("SIP/2.0 ", Wait), StringComparison.Ordinal);
    }
}
