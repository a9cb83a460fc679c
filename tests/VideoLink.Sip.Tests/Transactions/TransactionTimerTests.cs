using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using VideoLink.Sip.Messages;
using VideoLink.Sip.Parsing;
using VideoLink.Sip.Tests.Infrastructure;
using VideoLink.Sip.Transactions;
using VideoLink.Sip.Transport;

namespace VideoLink.Sip.Tests.Transactions;

/// <summary>RFC 3261 §17 timers on a manual clock, over a real UDP socket.</summary>
public sealed class TransactionTimerTests : IAsyncLifetime
{
    private static readonly TimeSpan T1 = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(150);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private readonly ManualTimeProvider _time = new();
    private readonly RawPeer _peer = new();
    private readonly RecordingUser _user = new();
    private SipTransportLayer _transport = null!;
    private SipTransactionLayer _layer = null!;

    public Task InitializeAsync()
    {
        var options = new SipOptions { ListenAddress = "127.0.0.1", UdpPort = 0, TcpPort = -1, T1 = T1, T2 = T1 * 8, T4 = T1 * 10 };
        _transport = new SipTransportLayer(options, NullLogger.Instance, "127.0.0.1");
        _layer = new SipTransactionLayer(_transport, options, _time, NullLogger.Instance);
        _layer.SetUser(_user);
        _transport.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _transport.DisposeAsync();
        _peer.Dispose();
    }

    private SipRemote PeerRemote => new(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, _peer.Port));
    private IPEndPoint Server => _transport.UdpEndPoint!;

    private static SipRequest NewRequest(string method)
    {
        var r = new SipRequest { Method = method, RequestUri = SipUri.Parse("sip:peer@127.0.0.1") };
        r.AddHeader(SipHeaderNames.From, "<sip:hub@127.0.0.1>;tag=h1");
        r.AddHeader(SipHeaderNames.To, "<sip:peer@127.0.0.1>");
        r.AddHeader(SipHeaderNames.CallId, Guid.NewGuid().ToString("N"));
        r.AddHeader(SipHeaderNames.CSeq, "1 " + method);
        r.AddHeader(SipHeaderNames.MaxForwards, "70");
        return r;
    }

    private static string ResponseTo(string request, int code, string reason)
    {
        var lines = request.Split("\r\n").Where(l => l.StartsWith("Via:", StringComparison.Ordinal) || l.StartsWith("From:", StringComparison.Ordinal)
            || l.StartsWith("Call-ID:", StringComparison.Ordinal) || l.StartsWith("CSeq:", StringComparison.Ordinal));
        string to = request.Split("\r\n").First(l => l.StartsWith("To:", StringComparison.Ordinal));
        return $"SIP/2.0 {code} {reason}\r\n" + string.Join("\r\n", lines) + "\r\n" + to + ";tag=peer\r\nContent-Length: 0\r\n\r\n";
    }

    private string PeerRequest(string method, string branch, int cseq = 1) =>
        $"{method} sip:hub@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{_peer.Port};branch=z9hG4bK{branch}\r\n" +
        $"From: <sip:peer@127.0.0.1>;tag=p1\r\nTo: <sip:hub@127.0.0.1>{(method == "ACK" ? ";tag=srv" : "")}\r\nCall-ID: {branch}@peer\r\nCSeq: {cseq} {method}\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";

    [Fact]
    public async Task ClientNonInvite_OverUdp_RetransmitsOnTimerEThenTimesOutOnTimerF()
    {
        var tx = _layer.SendRequest(NewRequest("OPTIONS"), PeerRemote);
        Assert.NotNull(await _peer.ReceiveAsync(Wait));

        // Timer E: T1, 2T1, 4T1, then capped at T2 = 8T1.
        foreach (int multiple in new[] { 1, 2, 4, 8, 8 })
        {
            _time.Advance(T1 * multiple - TimeSpan.FromMilliseconds(1));
            Assert.Null(await _peer.ReceiveAsync(Quiet));
            _time.Advance(TimeSpan.FromMilliseconds(1));
            Assert.StartsWith("OPTIONS", await _peer.ReceiveAsync(Wait), StringComparison.Ordinal);
        }
        Assert.False(tx.Completion.IsCompleted);

        _time.Advance(T1 * 64); // Timer F
        Assert.Null(await tx.Completion.WaitAsync(Wait));
        Assert.Equal(0, _layer.ClientCount);
    }

    [Fact]
    public async Task ClientInvite_FailureResponse_IsAckedByTheTransactionAndRetransmissionsStop()
    {
        var tx = _layer.SendRequest(NewRequest("INVITE"), PeerRemote);
        string invite = (await _peer.ReceiveAsync(Wait))!;

        await _peer.SendAsync(ResponseTo(invite, 486, "Busy Here"), Server);
        var final = await tx.Completion.WaitAsync(Wait);
        string ack = (await _peer.ReceiveAsync(Wait))!;

        Assert.Equal(486, final!.StatusCode);
        Assert.StartsWith("ACK", ack, StringComparison.Ordinal);
        Assert.Equal(TestDigest.Header(invite, "Via"), TestDigest.Header(ack, "Via")); // §17.1.1.3: same branch
        _time.Advance(T1 * 4);
        Assert.Null(await _peer.ReceiveAsync(Quiet)); // Timer A stopped

        // A retransmitted 486 is absorbed and answered with the ACK again (Completed state, Timer D running).
        await _peer.SendAsync(ResponseTo(invite, 486, "Busy Here"), Server);
        Assert.StartsWith("ACK", await _peer.ReceiveAsync(Wait), StringComparison.Ordinal);
        _time.Advance(T1 * 64);
        Assert.Equal(0, _layer.ClientCount);
    }

    [Fact]
    public async Task ClientInvite_ProvisionalResponse_StopsTimerA()
    {
        var transaction = _layer.SendRequest(NewRequest("INVITE"), PeerRemote);
        string invite = (await _peer.ReceiveAsync(Wait))!;
        _time.Advance(T1);
        Assert.StartsWith("INVITE", await _peer.ReceiveAsync(Wait), StringComparison.Ordinal);

        await _peer.SendAsync(ResponseTo(invite, 180, "Ringing"), Server);
        // The receive counter moves before the 180 is processed: wait for the state it leads to.
        await Poll.UntilAsync(() => transaction.State == TransactionState.Proceeding, Wait);
        _time.Advance(T1 * 8);

        Assert.Null(await _peer.ReceiveAsync(Quiet));
    }

    [Fact]
    public async Task ServerInvite_FailureResponse_RetransmitsOnTimerGUntilAck()
    {
        ServerTransaction? invite = null;
        _user.Respond = t =>
        {
            invite = t;
            t.Respond(t.CreateResponse(486, toTag: "srv"));
        };
        await _peer.SendAsync(PeerRequest("INVITE", "g1"), Server);
        Assert.StartsWith("SIP/2.0 100", await _peer.ReceiveAsync(Wait), StringComparison.Ordinal);
        Assert.StartsWith("SIP/2.0 486", await _peer.ReceiveAsync(Wait), StringComparison.Ordinal);

        _time.Advance(T1);
        Assert.StartsWith("SIP/2.0 486", await _peer.ReceiveAsync(Wait), StringComparison.Ordinal);
        _time.Advance(T1 * 2);
        Assert.StartsWith("SIP/2.0 486", await _peer.ReceiveAsync(Wait), StringComparison.Ordinal);

        await _peer.SendAsync(PeerRequest("ACK", "g1"), Server);
        // The receive counter moves before the ACK is processed: wait for the state the ACK leads to.
        await Poll.UntilAsync(() => invite?.State == TransactionState.Confirmed, Wait);
        _time.Advance(T1 * 8);
        Assert.Null(await _peer.ReceiveAsync(Quiet));
        Assert.Equal(0, _user.Acks); // the ACK for a failure stays in the transaction
        _time.Advance(T1 * 10); // Timer I
        Assert.Equal(0, _layer.ServerCount);
    }

    [Fact]
    public async Task ServerInvite_WithoutAck_TimerHEndsTheTransaction()
    {
        var timedOut = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _user.Respond = t =>
        {
            t.AckTimedOut += _ => timedOut.TrySetResult();
            t.Respond(t.CreateResponse(480, toTag: "srv"));
        };
        await _peer.SendAsync(PeerRequest("INVITE", "h1"), Server);
        await _peer.ExpectAsync("SIP/2.0 480", Wait);

        _time.Advance(T1 * 64);

        await timedOut.Task.WaitAsync(Wait);
        Assert.Equal(0, _layer.ServerCount);
    }

    [Fact]
    public async Task ServerNonInvite_RetransmittedRequest_GetsTheSameAnswerUntilTimerJ()
    {
        _user.Respond = t => t.Respond(t.CreateResponse(200, toTag: "srv"));
        string request = PeerRequest("OPTIONS", "j1");
        await _peer.SendAsync(request, Server);
        string first = (await _peer.ReceiveAsync(Wait))!;

        await _peer.SendAsync(request, Server);
        Assert.Equal(first, await _peer.ReceiveAsync(Wait));
        Assert.Equal(1, _user.Requests);

        _time.Advance(T1 * 64); // Timer J
        Assert.Equal(0, _layer.ServerCount);
        await _peer.SendAsync(request, Server);
        await Poll.UntilAsync(() => _user.Requests == 2, Wait, "after Timer J the request is new to the TU");
    }

    private sealed class RecordingUser : ITransactionUser
    {
        private int _requests;
        private int _acks;

        public Action<ServerTransaction>? Respond { get; set; }
        public int Requests => Volatile.Read(ref _requests);
        public int Acks => Volatile.Read(ref _acks);

        public void OnRequest(ServerTransaction transaction)
        {
            Interlocked.Increment(ref _requests);
            Respond?.Invoke(transaction);
        }

        public void OnAck(SipRequest ack, SipRemote source) => Interlocked.Increment(ref _acks);

        public void OnCancel(ServerTransaction invite)
        {
        }

        public void OnStrayResponse(SipResponse response, SipRemote source)
        {
        }
    }
}
