using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace VideoLink.Sip.Tests.Infrastructure;

/// <summary>A hand-written UAC call over a <see cref="RawPeer"/>: INVITE with digest, ACK, BYE; plus an RTP socket.</summary>
public sealed partial class RawCall : IDisposable
{
    private readonly RawPeer _peer;
    private readonly IPEndPoint _server;
    private readonly string _user;
    private readonly string _password;
    private readonly string _callId = Guid.NewGuid().ToString("N") + "@rawcall";
    private readonly string _fromTag = "c" + Guid.NewGuid().ToString("N")[..8];
    private int _cseq;

    public RawCall(RawPeer peer, IPEndPoint server, string user, string password)
    {
        _peer = peer;
        _server = server;
        _user = user;
        _password = password;
        Rtp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    }

    public Socket Rtp { get; } = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    public int RtpPort => ((IPEndPoint)Rtp.LocalEndPoint!).Port;
    public string? ToHeader { get; private set; }
    public string CallId => _callId;
    public string FromTag => _fromTag;
    public string? Answer { get; private set; }

    public string Offer(string extraAudio = "") =>
        "v=0\r\no=raw 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
        $"m=audio {RtpPort} RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n{extraAudio}a=sendrecv\r\n";

    public string Invite(string target, string? proxyAuthorization, string? body = null, string extraHeaders = "")
    {
        _cseq++;
        body ??= Offer();
        return $"INVITE {target} SIP/2.0\r\n" +
            $"Via: SIP/2.0/UDP 127.0.0.1:{_peer.Port};branch=z9hG4bK{Guid.NewGuid():N};rport\r\n" +
            $"From: <sip:{_user}@{TestServer.Domain}>;tag={_fromTag}\r\nTo: <{target}>\r\n" +
            $"Call-ID: {_callId}\r\nCSeq: {_cseq} INVITE\r\nContact: <sip:{_user}@127.0.0.1:{_peer.Port}>\r\nMax-Forwards: 70\r\n{extraHeaders}" +
            (proxyAuthorization is null ? "" : $"Proxy-Authorization: {proxyAuthorization}\r\n") +
            $"Content-Type: application/sdp\r\nContent-Length: {body.Length}\r\n\r\n{body}";
    }

    private string InDialog(string method, int cseq, string? to = null, string? sdp = null) =>
        $"{method} sip:hub@127.0.0.1 SIP/2.0\r\n" +
        $"Via: SIP/2.0/UDP 127.0.0.1:{_peer.Port};branch=z9hG4bK{Guid.NewGuid():N};rport\r\n" +
        $"From: <sip:{_user}@{TestServer.Domain}>;tag={_fromTag}\r\nTo: {to ?? ToHeader}\r\n" +
        $"Call-ID: {_callId}\r\nCSeq: {cseq} {method}\r\nMax-Forwards: 70\r\n" +
        (sdp is null ? "Content-Length: 0\r\n\r\n" : $"Content-Type: application/sdp\r\nContent-Length: {sdp.Length}\r\n\r\n{sdp}");

    /// <summary>INVITE → 407 → ACK → INVITE with credentials; returns the final response.</summary>
    public async Task<string> InviteAsync(string target, TimeSpan timeout, string? body = null, Func<string, Task>? onProvisional = null, string extraHeaders = "")
    {
        await _peer.SendAsync(Invite(target, null, body, extraHeaders), _server);
        string challenge = await _peer.ExpectAsync("SIP/2.0 407", timeout);
        await _peer.SendAsync(AckFor(challenge, target), _server);
        string auth = TestDigest.Authorization(challenge, "Proxy-Authenticate", "INVITE", target, _user, _password);
        await _peer.SendAsync(Invite(target, auth, body, extraHeaders), _server);
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            string? m = await _peer.ReceiveAsync(deadline - DateTime.UtcNow);
            if (m is null)
            {
                break;
            }
            if (TestDigest.Header(m, "CSeq") != $"{_cseq} INVITE")
            {
                continue; // the 200 for our own CANCEL, or a retransmitted 407 for the first INVITE
            }
            if (!m.StartsWith("SIP/2.0 1", StringComparison.Ordinal))
            {
                ToHeader = "To: " + TestDigest.Header(m, "To");
                ToHeader = ToHeader[4..];
                int blank = m.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                Answer = m[(blank + 4)..];
                return m;
            }
            if (onProvisional is not null)
            {
                await onProvisional(m);
            }
        }
        Assert.Fail("no final response to INVITE");
        return "";
    }

    private string AckFor(string response, string target) =>
        $"ACK {target} SIP/2.0\r\nVia: {TestDigest.Header(response, "Via")}\r\n" +
        $"From: {TestDigest.Header(response, "From")}\r\nTo: {TestDigest.Header(response, "To")}\r\n" +
        $"Call-ID: {_callId}\r\nCSeq: {_cseq} ACK\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";

    public Task AckAsync() => _peer.SendAsync(InDialog("ACK", _cseq), _server);

    /// <summary>ACK carrying the SDP answer to an offer the hub made in its 2xx (late offer).</summary>
    public Task AckAsync(string sdpAnswer) => _peer.SendAsync(InDialog("ACK", _cseq, sdp: sdpAnswer), _server);

    public async Task<string> ByeAsync(TimeSpan timeout)
    {
        _cseq++;
        await _peer.SendAsync(InDialog("BYE", _cseq), _server);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            // Skip any late retransmission of the INVITE's 2xx.
            string ok = await _peer.ExpectAsync("SIP/2.0 200", deadline - DateTime.UtcNow);
            if (TestDigest.Header(ok, "CSeq") == $"{_cseq} BYE")
            {
                return ok;
            }
        }
    }

    /// <summary>The hub's RTP endpoint for the first m= line of the answer.</summary>
    public IPEndPoint AnsweredAudio()
    {
        Assert.NotNull(Answer);
        var c = ConnectionRegex().Match(Answer!);
        var m = AudioRegex().Match(Answer!);
        Assert.True(c.Success && m.Success, Answer);
        return new IPEndPoint(IPAddress.Parse(c.Groups[1].Value), int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    public static byte[] RtpPacket(ushort seq, uint ssrc)
    {
        var p = new byte[172];
        p[0] = 0x80;
        p[1] = 0; // PCMU
        p[2] = (byte)(seq >> 8);
        p[3] = (byte)seq;
        p[8] = (byte)(ssrc >> 24);
        p[9] = (byte)(ssrc >> 16);
        p[10] = (byte)(ssrc >> 8);
        p[11] = (byte)ssrc;
        for (int i = 12; i < p.Length; i++)
        {
            p[i] = (byte)(0xff ^ i);
        }
        return p;
    }

    public static async Task<byte[]?> ReceiveRtpAsync(Socket socket, TimeSpan timeout)
    {
        var buffer = new byte[2048];
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            var r = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cts.Token);
            return buffer[..r.ReceivedBytes];
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"c=IN IP4 ([0-9.]+)")]
    private static partial Regex ConnectionRegex();

    [GeneratedRegex(@"m=audio ([0-9]+) ")]
    private static partial Regex AudioRegex();

    public void Dispose() => Rtp.Dispose();
}
