using System.Net;
using System.Net.Sockets;
using System.Text;
using VideoLink.Sip.Parsing;
using VideoLink.Sip.Tests.Infrastructure;

namespace VideoLink.Sip.Tests.Parsing;

/// <summary>
/// Every file under TestData/Malformed goes to a real server. Files named 400_* must be answered with a
/// 4xx/5xx; drop_* must be counted as dropped without an answer; the server must keep working either way.
/// </summary>
public sealed class MalformedCorpusTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "TestData", "Malformed");

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (string f in Directory.GetFiles(Folder).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(f));
        }
        return data;
    }

    [Fact]
    public void Corpus_IsNotEmpty() => Assert.True(Directory.GetFiles(Folder).Length >= 20);

    [Theory]
    [MemberData(nameof(Files))]
    public void Parser_MalformedInput_IsInvalidNeverThrows(string file)
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(Folder, file));

        var datagram = SipParser.Parse(bytes, SipFraming.Datagram, 16 * 1024);
        var stream = SipParser.Parse(bytes, SipFraming.Stream, 16 * 1024);

        Assert.Equal(SipParseStatus.Invalid, datagram.Status);
        Assert.NotEqual(SipParseStatus.Complete, stream.Status);
        Assert.Equal(file.StartsWith("400_", StringComparison.Ordinal), SipParser.CanAnswer(datagram.Partial));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Udp_MalformedDatagram_IsAnsweredOrCountedAndServerSurvives(string file)
    {
        await using var server = await TestServer.StartAsync(o => o.MaxMessageSize = 16 * 1024);
        using var peer = new RawPeer();
        var target = server.Server.UdpEndPoint!;
        byte[] bytes = File.ReadAllBytes(Path.Combine(Folder, file));

        await peer.SendAsync(bytes, target);

        if (file.StartsWith("400_", StringComparison.Ordinal))
        {
            string response = await peer.ExpectAsync("SIP/2.0 ", TimeSpan.FromSeconds(5));
            Assert.Matches("^SIP/2.0 (400|413|505|513) ", response);
            Assert.Equal(1, server.Server.Counters.BadRequestsAnswered);
        }
        else
        {
            await Poll.UntilAsync(() => server.Server.Counters.MessagesDropped == 1, TimeSpan.FromSeconds(5), file);
            Assert.Equal(0, server.Server.Counters.BadRequestsAnswered);
        }
        await AssertAliveAsync(peer, target);
    }

    [Fact]
    public async Task Tcp_GarbageStream_ClosesConnectionAndServerKeepsServing()
    {
        await using var server = await TestServer.StartAsync();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, server.TcpPort).WaitAsync(TimeSpan.FromSeconds(5));
        var stream = tcp.GetStream();
        await stream.WriteAsync(File.ReadAllBytes(Path.Combine(Folder, "drop_random_binary.bin"))).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        await stream.WriteAsync(Encoding.ASCII.GetBytes("\r\n\r\n")).AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        var buffer = new byte[512];
        int n = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(0, n); // closed: the framing was lost
        using var peer = new RawPeer();
        await AssertAliveAsync(peer, server.Server.UdpEndPoint!);
    }

    private static async Task AssertAliveAsync(RawPeer peer, IPEndPoint target)
    {
        string options =
            "OPTIONS sip:127.0.0.1 SIP/2.0\r\n" +
            $"Via: SIP/2.0/UDP 127.0.0.1:{peer.Port};branch=z9hG4bKalive{Guid.NewGuid():N};rport\r\n" +
            "From: <sip:probe@127.0.0.1>;tag=p\r\nTo: <sip:127.0.0.1>\r\nCall-ID: alive@test\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
        await peer.SendAsync(options, target);
        string reply = await peer.ExpectAsync("SIP/2.0 200", TimeSpan.FromSeconds(5));
        Assert.Contains("Allow:", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tcp_ContentLengthLargerThanBody_IsAnswered400AfterTheTimeoutAndClosed()
    {
        await using var server = await TestServer.StartAsync(o => o.IncompleteMessageTimeout = TimeSpan.FromMilliseconds(300));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, server.TcpPort).WaitAsync(TimeSpan.FromSeconds(5));
        var stream = tcp.GetStream();
        string request =
            "OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bKshort\r\n" +
            "From: <sip:probe@127.0.0.1>;tag=p\r\nTo: <sip:127.0.0.1>\r\nCall-ID: short@test\r\nCSeq: 1 OPTIONS\r\n" +
            "Content-Type: text/plain\r\nContent-Length: 100\r\n\r\nonly ten b";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request)).AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        var received = new StringBuilder();
        var buffer = new byte[2048];
        int n;
        while ((n = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(5))) > 0)
        {
            received.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }

        Assert.StartsWith("SIP/2.0 400", received.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, server.Server.Counters.BadRequestsAnswered);
    }
}
