using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using VideoLink.Sip.Tests.Infrastructure;

namespace VideoLink.Sip.Tests.Dialogs;

/// <summary>B2BUA calls between two registered accounts, media anchored on the hub, over raw UDP peers.</summary>
public sealed partial class BridgedCallTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private static string Respond(string request, int code, string reason, string toTag, int contactPort, string? sdp = null)
    {
        var lines = request.Split("\r\n");
        var copied = lines.Where(l => l.StartsWith("Via:", StringComparison.Ordinal) || l.StartsWith("From:", StringComparison.Ordinal)
            || l.StartsWith("Call-ID:", StringComparison.Ordinal) || l.StartsWith("CSeq:", StringComparison.Ordinal));
        string to = lines.First(l => l.StartsWith("To:", StringComparison.Ordinal));
        if (!to.Contains("tag=", StringComparison.Ordinal))
        {
            to += ";tag=" + toTag;
        }
        return $"SIP/2.0 {code} {reason}\r\n" + string.Join("\r\n", copied) + "\r\n" + to + "\r\n" +
            $"Contact: <sip:bob@127.0.0.1:{contactPort}>\r\n" +
            (sdp is null ? "Content-Length: 0\r\n\r\n" : $"Content-Type: application/sdp\r\nContent-Length: {sdp.Length}\r\n\r\n{sdp}");
    }

    private static async Task<(RawPeer Sip, Socket Rtp)> RegisterBobAsync(TestServer server)
    {
        var sip = new RawPeer();
        var rtp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        rtp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        string ok = await new RawRegistration(sip, server.Server.UdpEndPoint!, "bob", "bob-secret").RegisterAsync($"<sip:bob@127.0.0.1:{sip.Port}>", 300);
        Assert.StartsWith("SIP/2.0 200", ok, StringComparison.Ordinal);
        return (sip, rtp);
    }

    /// <summary>bob answers the hub's INVITE at once with PCMU and waits for its ACK; returns the INVITE.</summary>
    private static Task<string> AnswerAtOnceAsync(TestServer server, RawPeer bobSip, Socket bobRtp) => Task.Run(async () =>
    {
        string invite = await bobSip.ExpectAsync("INVITE ", Wait);
        string sdp = $"v=0\r\no=bob 2 2 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio {((IPEndPoint)bobRtp.LocalEndPoint!).Port} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
        await bobSip.SendAsync(Respond(invite, 200, "OK", "bobtag", bobSip.Port, sdp), server.Server.UdpEndPoint!);
        await bobSip.ExpectAsync("ACK ", Wait);
        return invite;
    });

    /// <summary>bob's BYE: From/To swapped relative to the hub's INVITE, sent to the hub's Contact.</summary>
    private static string ByeFromCallee(string invite, int bobPort) =>
        $"BYE {TestDigest.Header(invite, "Contact").Trim('<', '>')} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{bobPort};branch=z9hG4bK{Guid.NewGuid():N};rport\r\n" +
        $"From: {TestDigest.Header(invite, "To")};tag=bobtag\r\nTo: {TestDigest.Header(invite, "From")}\r\n" +
        $"Call-ID: {TestDigest.Header(invite, "Call-ID")}\r\nCSeq: 1 BYE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";

    [Fact]
    public async Task Call_ToRegisteredUser_RingsAnswersRelaysRtpBothWaysAndHangsUp()
    {
        await using var server = await TestServer.StartAsync();
        var (bobSip, bobRtp) = await RegisterBobAsync(server);
        using var _ = bobSip;
        using var __ = bobRtp;
        using var alicePeer = new RawPeer();
        using var alice = new RawCall(alicePeer, server.Server.UdpEndPoint!, "alice", "alice-secret");

        // bob answers once alice hears the ringing (a phone rings for a while; answering in the same microsecond
        // lets the hub's receive loops take the 200 before the 180, and a 180 after the final answer is rightly dropped).
        var heardRinging = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var bob = Task.Run(async () =>
        {
            string invite = await bobSip.ExpectAsync("INVITE sip:bob@127.0.0.1", Wait);
            int bobRtpPort = ((IPEndPoint)bobRtp.LocalEndPoint!).Port;
            string sdp = $"v=0\r\no=bob 2 2 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio {bobRtpPort} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n";
            await bobSip.SendAsync(Respond(invite, 180, "Ringing", "bobtag", bobSip.Port), server.Server.UdpEndPoint!);
            await heardRinging.Task.WaitAsync(Wait);
            await bobSip.SendAsync(Respond(invite, 200, "OK", "bobtag", bobSip.Port, sdp), server.Server.UdpEndPoint!);
            await bobSip.ExpectAsync("ACK ", Wait);
            return invite;
        });

        bool rang = false;
        string final = await alice.InviteAsync($"sip:bob@{TestServer.Domain}", Wait, onProvisional: m =>
        {
            if (m.StartsWith("SIP/2.0 180", StringComparison.Ordinal))
            {
                rang = true;
                heardRinging.TrySetResult();
            }
            return Task.CompletedTask;
        });
        Assert.StartsWith("SIP/2.0 200", final, StringComparison.Ordinal);
        Assert.True(rang, "the caller heard ringing");
        await alice.AckAsync();
        string bobInvite = await bob.WaitAsync(Wait);
        Assert.Contains("From: \"Alice\" <sip:alice@videolink.test>", bobInvite, StringComparison.Ordinal);

        // Caller → hub → callee.
        var calleeSide = new IPEndPoint(IPAddress.Loopback, int.Parse(AudioPort().Match(bobInvite).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        byte[] fromAlice = RawCall.RtpPacket(1, 0xA11CE);
        await alice.Rtp.SendToAsync(fromAlice, SocketFlags.None, alice.AnsweredAudio()).WaitAsync(Wait);
        Assert.Equal(fromAlice, await RawCall.ReceiveRtpAsync(bobRtp, Wait));
        // Callee → hub → caller (the hub latched the caller's address from its first packet).
        byte[] fromBob = RawCall.RtpPacket(1, 0xB0B);
        await bobRtp.SendToAsync(fromBob, SocketFlags.None, calleeSide).WaitAsync(Wait);
        Assert.Equal(fromBob, await RawCall.ReceiveRtpAsync(alice.Rtp, Wait));

        var bobBye = Task.Run(async () =>
        {
            string bye = await bobSip.ExpectAsync("BYE ", Wait);
            await bobSip.SendAsync(Respond(bye, 200, "OK", "bobtag", bobSip.Port), server.Server.UdpEndPoint!);
        });
        await alice.ByeAsync(Wait);
        await bobBye.WaitAsync(Wait);
        await Poll.UntilAsync(() => server.Server.ActiveCalls == 0, Wait);
    }

    [Fact]
    public async Task Call_CalleeSends183WithSdp_EarlyMediaReachesTheCallerBeforeTheAnswer()
    {
        await using var server = await TestServer.StartAsync();
        var (bobSip, bobRtp) = await RegisterBobAsync(server);
        using var _ = bobSip;
        using var __ = bobRtp;
        using var alicePeer = new RawPeer();
        using var alice = new RawCall(alicePeer, server.Server.UdpEndPoint!, "alice", "alice-secret");
        var bobInvite = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var answerNow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var bob = Task.Run(async () =>
        {
            string invite = await bobSip.ExpectAsync("INVITE sip:bob@127.0.0.1", Wait);
            bobInvite.SetResult(invite);
            string sdp = $"v=0\r\no=bob 2 2 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio {((IPEndPoint)bobRtp.LocalEndPoint!).Port} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
            await bobSip.SendAsync(Respond(invite, 183, "Session Progress", "bobtag", bobSip.Port, sdp), server.Server.UdpEndPoint!);
            await answerNow.Task.WaitAsync(Wait);
            await bobSip.SendAsync(Respond(invite, 200, "OK", "bobtag", bobSip.Port, sdp), server.Server.UdpEndPoint!);
            await bobSip.ExpectAsync("ACK ", Wait);
        });

        string? early = null;
        string final = await alice.InviteAsync($"sip:bob@{TestServer.Domain}", Wait, onProvisional: async m =>
        {
            if (!m.StartsWith("SIP/2.0 183", StringComparison.Ordinal))
            {
                return;
            }
            early = m;
            // Before the answer: bob's media (a ringback tone, an announcement) goes hub → alice.
            string invite = await bobInvite.Task.WaitAsync(Wait);
            var calleeSide = new IPEndPoint(IPAddress.Loopback, int.Parse(AudioPort().Match(invite).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            byte[] tone = RawCall.RtpPacket(1, 0xB0B);
            await bobRtp.SendToAsync(tone, SocketFlags.None, calleeSide).WaitAsync(Wait);
            Assert.Equal(tone, await RawCall.ReceiveRtpAsync(alice.Rtp, Wait));
            answerNow.TrySetResult();
        });

        Assert.NotNull(early);
        Assert.Contains("Content-Type: application/sdp", early, StringComparison.Ordinal);
        Assert.StartsWith("SIP/2.0 200", final, StringComparison.Ordinal);
        // The 2xx repeats the early answer: same anchored port.
        Assert.Equal(AudioPort().Match(early!).Groups[1].Value, AudioPort().Match(alice.Answer!).Groups[1].Value);
        await alice.AckAsync();
        await bob.WaitAsync(Wait);
        var bobBye = Task.Run(async () =>
        {
            string bye = await bobSip.ExpectAsync("BYE ", Wait);
            await bobSip.SendAsync(Respond(bye, 200, "OK", "bobtag", bobSip.Port), server.Server.UdpEndPoint!);
        });
        await alice.ByeAsync(Wait);
        await bobBye.WaitAsync(Wait);
        await Poll.UntilAsync(() => server.Server.ActiveCalls == 0, Wait);
    }

    [Fact]
    public async Task Call_CalleePutsCallOnHold_CallerGetsTheHoldReInvite()
    {
        await using var server = await TestServer.StartAsync();
        var (bobSip, bobRtp) = await RegisterBobAsync(server);
        using var _ = bobSip;
        using var __ = bobRtp;
        using var alicePeer = new RawPeer();
        using var alice = new RawCall(alicePeer, server.Server.UdpEndPoint!, "alice", "alice-secret");
        int bobRtpPort = ((IPEndPoint)bobRtp.LocalEndPoint!).Port;
        string Sdp(string direction, int version) =>
            $"v=0\r\no=bob 2 {version} IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio {bobRtpPort} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na={direction}\r\n";
        var bob = Task.Run(async () =>
        {
            string invite = await bobSip.ExpectAsync("INVITE ", Wait);
            await bobSip.SendAsync(Respond(invite, 200, "OK", "bobtag", bobSip.Port, Sdp("sendrecv", 2)), server.Server.UdpEndPoint!);
            await bobSip.ExpectAsync("ACK ", Wait);
            return invite;
        });
        Assert.StartsWith("SIP/2.0 200", await alice.InviteAsync($"sip:bob@{TestServer.Domain}", Wait), StringComparison.Ordinal);
        await alice.AckAsync();
        string invite = await bob.WaitAsync(Wait);

        // bob holds: re-INVITE with a=sendonly to the hub's Contact, in bob's dialog with the hub.
        string hubContact = TestDigest.Header(invite, "Contact").Trim('<', '>');
        string hold = $"INVITE {hubContact} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{bobSip.Port};branch=z9hG4bKbobhold;rport\r\n" +
            $"From: {TestDigest.Header(invite, "To")};tag=bobtag\r\nTo: {TestDigest.Header(invite, "From")}\r\n" +
            $"Call-ID: {TestDigest.Header(invite, "Call-ID")}\r\nCSeq: 1 INVITE\r\nContact: <sip:bob@127.0.0.1:{bobSip.Port}>\r\nMax-Forwards: 70\r\n" +
            $"Content-Type: application/sdp\r\nContent-Length: {Sdp("sendonly", 3).Length}\r\n\r\n{Sdp("sendonly", 3)}";
        await bobSip.SendAsync(hold, server.Server.UdpEndPoint!);

        string toAlice = await alicePeer.ExpectAsync("INVITE ", Wait);
        Assert.Contains(alice.CallId, toAlice, StringComparison.Ordinal);
        Assert.Contains("a=sendonly", toAlice, StringComparison.Ordinal);
        string aliceAnswer = alice.Offer().Replace("a=sendrecv", "a=recvonly", StringComparison.Ordinal);
        await alicePeer.SendAsync(Respond(toAlice, 200, "OK", "unused", alicePeer.Port, aliceAnswer), server.Server.UdpEndPoint!);
        await alicePeer.ExpectAsync("ACK ", Wait);

        string bobOk = await bobSip.ExpectAsync("SIP/2.0 200", Wait);
        Assert.Contains("a=recvonly", bobOk, StringComparison.Ordinal); // the hub's own answer to bob mirrors the hold
        Assert.Equal(1, server.Server.ActiveCalls);
    }

    [Fact]
    public async Task Call_CalleeHangsUp_CallerGetsBye()
    {
        await using var server = await TestServer.StartAsync();
        var (bobSip, bobRtp) = await RegisterBobAsync(server);
        using var _ = bobSip;
        using var __ = bobRtp;
        using var alicePeer = new RawPeer();
        using var alice = new RawCall(alicePeer, server.Server.UdpEndPoint!, "alice", "alice-secret");
        var bob = AnswerAtOnceAsync(server, bobSip, bobRtp);
        Assert.StartsWith("SIP/2.0 200", await alice.InviteAsync($"sip:bob@{TestServer.Domain}", Wait), StringComparison.Ordinal);
        await alice.AckAsync();
        string invite = await bob.WaitAsync(Wait);

        await bobSip.SendAsync(ByeFromCallee(invite, bobSip.Port), server.Server.UdpEndPoint!);

        Assert.StartsWith("SIP/2.0 200", await bobSip.ExpectAsync("SIP/2.0 ", Wait), StringComparison.Ordinal);
        string toAlice = await alicePeer.ExpectAsync("BYE ", Wait);
        Assert.Contains(alice.CallId, toAlice, StringComparison.Ordinal);
        await Poll.UntilAsync(() => server.Server.ActiveCalls == 0, Wait);
    }

    [Fact]
    public async Task CalleeHangsUpBeforeTheCallersAck_TheCallerGetsByeOnlyAfterItsAck()
    {
        await using var server = await TestServer.StartAsync();
        var (bobSip, bobRtp) = await RegisterBobAsync(server);
        using var _ = bobSip;
        using var __ = bobRtp;
        using var alicePeer = new RawPeer();
        using var alice = new RawCall(alicePeer, server.Server.UdpEndPoint!, "alice", "alice-secret");
        var bob = AnswerAtOnceAsync(server, bobSip, bobRtp);
        Assert.StartsWith("SIP/2.0 200", await alice.InviteAsync($"sip:bob@{TestServer.Domain}", Wait), StringComparison.Ordinal);
        string invite = await bob.WaitAsync(Wait);

        // bob hangs up while alice's ACK is still "on its way" (not sent yet).
        await bobSip.SendAsync(ByeFromCallee(invite, bobSip.Port), server.Server.UdpEndPoint!);
        Assert.StartsWith("SIP/2.0 200", await bobSip.ExpectAsync("SIP/2.0 ", Wait), StringComparison.Ordinal);

        // §15: no BYE before the ACK; the 2xx keeps coming meanwhile.
        var beforeAck = new List<string>();
        var until = DateTime.UtcNow + TimeSpan.FromMilliseconds(700);
        while (until - DateTime.UtcNow is { Ticks: > 0 } left && await alicePeer.ReceiveAsync(left) is { } m)
        {
            beforeAck.Add(m);
        }
        Assert.DoesNotContain(beforeAck, m => m.StartsWith("BYE ", StringComparison.Ordinal));
        Assert.Contains(beforeAck, m => m.StartsWith("SIP/2.0 200", StringComparison.Ordinal));

        await alice.AckAsync();
        string toAlice = await alicePeer.ExpectAsync("BYE ", Wait);
        Assert.Contains(alice.CallId, toAlice, StringComparison.Ordinal);
        await Poll.UntilAsync(() => server.Server.ActiveCalls == 0, Wait);
    }

    [Fact]
    public async Task Call_CalleeBusy_CallerGets486()
    {
        await using var server = await TestServer.StartAsync();
        var (bobSip, bobRtp) = await RegisterBobAsync(server);
        using var _ = bobSip;
        using var __ = bobRtp;
        using var alicePeer = new RawPeer();
        using var alice = new RawCall(alicePeer, server.Server.UdpEndPoint!, "alice", "alice-secret");

        var bob = Task.Run(async () =>
        {
            string invite = await bobSip.ExpectAsync("INVITE ", Wait);
            await bobSip.SendAsync(Respond(invite, 486, "Busy Here", "bobtag", bobSip.Port), server.Server.UdpEndPoint!);
            return await bobSip.ExpectAsync("ACK ", Wait); // the hub's transaction ACKs the failure
        });

        string final = await alice.InviteAsync($"sip:bob@{TestServer.Domain}", Wait);

        Assert.StartsWith("SIP/2.0 486", final, StringComparison.Ordinal);
        await bob.WaitAsync(Wait);
        await Poll.UntilAsync(() => server.Server.ActiveCalls == 0, Wait);
    }

    [Fact]
    public async Task Call_CallerCancelsWhileRinging_CalleeIsCancelledAndCallerGets487()
    {
        await using var server = await TestServer.StartAsync();
        var (bobSip, bobRtp) = await RegisterBobAsync(server);
        using var _ = bobSip;
        using var __ = bobRtp;
        using var alicePeer = new RawPeer();
        using var alice = new RawCall(alicePeer, server.Server.UdpEndPoint!, "alice", "alice-secret");
        string target = $"sip:bob@{TestServer.Domain}";

        var bob = Task.Run(async () =>
        {
            string invite = await bobSip.ExpectAsync("INVITE ", Wait);
            await bobSip.SendAsync(Respond(invite, 180, "Ringing", "bobtag", bobSip.Port), server.Server.UdpEndPoint!);
            string cancel = await bobSip.ExpectAsync("CANCEL ", Wait);
            await bobSip.SendAsync(Respond(cancel, 200, "OK", "bobtag", bobSip.Port), server.Server.UdpEndPoint!);
            await bobSip.SendAsync(Respond(invite, 487, "Request Terminated", "bobtag", bobSip.Port), server.Server.UdpEndPoint!);
            return cancel;
        });

        string? inviteVia = null;
        string final = await alice.InviteAsync(target, Wait, onProvisional: async m =>
        {
            if (m.StartsWith("SIP/2.0 180", StringComparison.Ordinal) && inviteVia is null)
            {
                inviteVia = TestDigest.Header(m, "Via");
                string cancel = $"CANCEL {target} SIP/2.0\r\nVia: {inviteVia}\r\nFrom: {TestDigest.Header(m, "From")}\r\nTo: <{target}>\r\n" +
                    $"Call-ID: {TestDigest.Header(m, "Call-ID")}\r\nCSeq: {TestDigest.Header(m, "CSeq").Split(' ')[0]} CANCEL\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
                await alicePeer.SendAsync(cancel, server.Server.UdpEndPoint!);
            }
        });

        Assert.StartsWith("SIP/2.0 487", final, StringComparison.Ordinal);
        await bob.WaitAsync(Wait);
        await Poll.UntilAsync(() => server.Server.ActiveCalls == 0, Wait);
    }

    [GeneratedRegex(@"m=audio ([0-9]+) ")]
    private static partial Regex AudioPort();
}
