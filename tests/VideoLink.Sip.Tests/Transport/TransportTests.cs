using System.Net;
using System.Net.Sockets;
using System.Text;
using VideoLink.Sip.Tests.Infrastructure;

namespace VideoLink.Sip.Tests.Transport;

public sealed class TransportTests
{
    private static string Options(string transport, int port, string branch, string callId = "t@test") =>
        "OPTIONS sip:127.0.0.1 SIP/2.0\r\n" +
        $"Via: SIP/2.0/{transport} 198.51.100.7:{port};branch=z9hG4bK{branch};rport\r\n" +
        "From: <sip:probe@127.0.0.1>;tag=p\r\nTo: <sip:127.0.0.1>\r\n" +
        $"Call-ID: {callId}\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";

    [Fact]
    public async Task Udp_RequestWithRport_IsAnsweredToSourceWithReceivedAndRport()
    {
        await using var server = await TestServer.StartAsync();
        using var peer = new RawPeer();

        // The Via claims 198.51.100.7:9 (a NAT's inside address); RFC 3581 sends the answer to the real source.
        await peer.SendAsync(Options("UDP", 9, "rport1"), server.Server.UdpEndPoint!);
        string reply = await peer.ExpectAsync("SIP/2.0 200", TimeSpan.FromSeconds(5));

        Assert.Contains($"rport={peer.Port}", reply, StringComparison.Ordinal);
        Assert.Contains("received=127.0.0.1", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Udp_RetransmittedRequest_IsAbsorbedAndAnsweredAgain()
    {
        await using var server = await TestServer.StartAsync();
        using var peer = new RawPeer();
        string request = Options("UDP", peer.Port, "retrans");

        await peer.SendAsync(request, server.Server.UdpEndPoint!);
        string first = await peer.ExpectAsync("SIP/2.0 200", TimeSpan.FromSeconds(5));
        await peer.SendAsync(request, server.Server.UdpEndPoint!);
        string second = await peer.ExpectAsync("SIP/2.0 200", TimeSpan.FromSeconds(5));

        Assert.Equal(first, second); // same To tag: the transaction answered, not a new request
    }

    [Fact]
    public async Task Tcp_TwoMessagesInOneSegmentAndKeepAlive_AreFramedAndPonged()
    {
        await using var server = await TestServer.StartAsync();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, server.TcpPort).WaitAsync(TimeSpan.FromSeconds(5));
        var stream = tcp.GetStream();
        int port = ((IPEndPoint)tcp.Client.LocalEndPoint!).Port;

        string twoRequests = Options("TCP", port, "one", "c1@test") + Options("TCP", port, "two", "c2@test");
        await stream.WriteAsync(Encoding.ASCII.GetBytes("\r\n\r\n" + twoRequests)).AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        var received = new StringBuilder();
        var buffer = new byte[8192];
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (CountOf(received.ToString(), "SIP/2.0 200") < 2 && DateTime.UtcNow < deadline)
        {
            int n = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            received.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }

        string text = received.ToString();
        Assert.StartsWith("\r\nSIP/2.0 200", text, StringComparison.Ordinal); // RFC 5626 §3.5.1 pong first
        Assert.Contains("c1@test", text, StringComparison.Ordinal);
        Assert.Contains("c2@test", text, StringComparison.Ordinal);
        Assert.True(server.Server.Counters.KeepAlives >= 1);
    }

    [Fact]
    public async Task Tcp_MessageSplitAcrossWrites_IsReassembled()
    {
        await using var server = await TestServer.StartAsync();
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(IPAddress.Loopback, server.TcpPort).WaitAsync(TimeSpan.FromSeconds(5));
        var stream = tcp.GetStream();
        byte[] bytes = Encoding.ASCII.GetBytes(Options("TCP", 5060, "split"));

        for (int i = 0; i < bytes.Length; i += 40)
        {
            await stream.WriteAsync(bytes.AsMemory(i, Math.Min(40, bytes.Length - i))).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            await stream.FlushAsync();
        }
        var buffer = new byte[4096];
        int n = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        Assert.StartsWith("SIP/2.0 200", Encoding.ASCII.GetString(buffer, 0, n), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebSocket_SipOverWebSocket_IsAnsweredOnTheSameSocket()
    {
        await using var server = await TestServer.StartAsync();
        var (client, serverSide) = WebSocketPair.Create();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var run = server.Server.HandleWebSocketAsync(serverSide, new IPEndPoint(IPAddress.Loopback, 40000), cts.Token);

        byte[] request = Encoding.UTF8.GetBytes(Options("WS", 0, "ws1").Replace("198.51.100.7:0", "df7jal23ls0d.invalid", StringComparison.Ordinal));
        await client.SendAsync(request, System.Net.WebSockets.WebSocketMessageType.Text, true, cts.Token).WaitAsync(TimeSpan.FromSeconds(5));
        var buffer = new byte[8192];
        var r = await client.ReceiveAsync(new ArraySegment<byte>(buffer), cts.Token).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.StartsWith("SIP/2.0 200", Encoding.UTF8.GetString(buffer, 0, r.Count), StringComparison.Ordinal);
        await client.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, cts.Token).WaitAsync(TimeSpan.FromSeconds(5));
        await run.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task WebSocket_RegisterWithDigest_IsAcceptedAndClosingTheSocketUnregisters()
    {
        await using var server = await TestServer.StartAsync();
        var (client, serverSide) = WebSocketPair.Create();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var run = server.Server.HandleWebSocketAsync(serverSide, new IPEndPoint(IPAddress.Loopback, 40001), cts.Token);
        var buffer = new byte[16384];

        async Task<string> ExchangeAsync(string request, string expect)
        {
            await client.SendAsync(Encoding.UTF8.GetBytes(request), System.Net.WebSockets.WebSocketMessageType.Text, true, cts.Token).WaitAsync(TimeSpan.FromSeconds(5));
            while (true)
            {
                var r = await client.ReceiveAsync(new ArraySegment<byte>(buffer), cts.Token).WaitAsync(TimeSpan.FromSeconds(5));
                string text = Encoding.UTF8.GetString(buffer, 0, r.Count);
                if (text.StartsWith(expect, StringComparison.Ordinal))
                {
                    return text;
                }
            }
        }

        string Register(int cseq, string? auth) =>
            $"REGISTER sip:{TestServer.Domain} SIP/2.0\r\nVia: SIP/2.0/WS df7jal23ls0d.invalid;branch=z9hG4bKws{cseq};rport\r\n" +
            $"From: <sip:carol@{TestServer.Domain}>;tag=ws1\r\nTo: <sip:carol@{TestServer.Domain}>\r\nCall-ID: ws-reg@test\r\nCSeq: {cseq} REGISTER\r\n" +
            "Contact: <sip:carol@df7jal23ls0d.invalid;transport=ws>\r\nExpires: 300\r\nMax-Forwards: 70\r\n" +
            (auth is null ? "" : $"Authorization: {auth}\r\n") + "Content-Length: 0\r\n\r\n";

        string challenge = await ExchangeAsync(Register(1, null), "SIP/2.0 401");
        string auth = TestDigest.Authorization(challenge, "WWW-Authenticate", "REGISTER", $"sip:{TestServer.Domain}", "carol", "carol-secret");
        await ExchangeAsync(Register(2, auth), "SIP/2.0 200");

        Assert.True(server.Server.IsOnline("carol"));
        Assert.Equal(SipServer.WebSocketSubProtocol, serverSide.SubProtocol);
        await client.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, cts.Token).WaitAsync(TimeSpan.FromSeconds(5));
        await run.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(server.Server.IsOnline("carol")); // RFC 7118 §5: the flow is gone, so is the binding
    }

    private static int CountOf(string s, string what)
    {
        int count = 0;
        for (int i = s.IndexOf(what, StringComparison.Ordinal); i >= 0; i = s.IndexOf(what, i + 1, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }
}
