using System.Text;
using VideoLink.Sip.Messages;
using VideoLink.Sip.Parsing;

namespace VideoLink.Sip.Tests.Parsing;

public sealed class SipParserTests
{
    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s.Replace("\n", "\r\n", StringComparison.Ordinal));

    private const string Invite =
        "INVITE sip:bob@videolink.test SIP/2.0\n" +
        "Via: SIP/2.0/UDP pc33.example.com;branch=z9hG4bK776asdhds;rport\n" +
        "Max-Forwards: 70\n" +
        "To: Bob <sip:bob@videolink.test>\n" +
        "From: \"Alice, the first\" <sip:alice@videolink.test>;tag=1928301774\n" +
        "Call-ID: a84b4c76e66710@pc33.example.com\n" +
        "CSeq: 314159 INVITE\n" +
        "Contact: <sip:alice@pc33.example.com>\n" +
        "Content-Type: application/sdp\n" +
        "Content-Length: 5\n" +
        "\n" +
        "v=0\n";

    [Fact]
    public void Parse_Rfc3261Invite_ReadsAllParts()
    {
        var r = SipParser.Parse(Bytes(Invite), SipFraming.Datagram);

        Assert.Equal(SipParseStatus.Complete, r.Status);
        var req = Assert.IsType<SipRequest>(r.Message);
        Assert.Equal("INVITE", req.Method);
        Assert.Equal("bob", req.RequestUri.User);
        Assert.Equal("z9hG4bK776asdhds", req.TopVia.Branch);
        Assert.True(req.TopVia.HasRport);
        Assert.Equal("Alice, the first", req.From.DisplayName);
        Assert.Equal("1928301774", req.From.Tag);
        Assert.Null(req.To.Tag);
        Assert.Equal(new CSeqHeader(314159, "INVITE"), req.CSeq);
        Assert.Equal("v=0\r\n", Encoding.UTF8.GetString(req.Body.Span));
    }

    [Fact]
    public void Parse_CompactHeaders_MapToCanonicalNames()
    {
        const string text =
            "OPTIONS sip:echo@videolink.test SIP/2.0\n" +
            "v: SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bKa\n" +
            "f: <sip:a@videolink.test>;tag=x\n" +
            "t: <sip:echo@videolink.test>\n" +
            "i: compact@test\n" +
            "CSeq: 1 OPTIONS\n" +
            "m: <sip:a@10.0.0.1>\n" +
            "k: timer, 100rel\n" +
            "s: hello\n" +
            "e: gzip\n" +
            "c: text/plain\n" +
            "l: 0\n\n";

        var r = SipParser.Parse(Bytes(text), SipFraming.Stream);

        var req = Assert.IsType<SipRequest>(r.Message);
        Assert.Equal("compact@test", req.CallId);
        Assert.Equal("TCP", req.TopVia.Transport);
        Assert.Equal("x", req.From.Tag);
        Assert.Single(req.Contacts);
        Assert.Equal(["timer", "100rel"], req.GetHeaderValues(SipHeaderNames.Supported));
        Assert.Equal("hello", req.GetHeader(SipHeaderNames.Subject));
        Assert.Equal("gzip", req.GetHeader(SipHeaderNames.ContentEncoding));
        Assert.Equal("text/plain", req.ContentType);
    }

    [Fact]
    public void Parse_SeveralViasInOneHeaderAndFoldedLine_AreSplitAndUnfolded()
    {
        const string text =
            "SIP/2.0 180 Ringing\n" +
            "Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1, SIP/2.0/UDP b.example.com:5070;branch=z9hG4bK2;received=192.0.2.1\n" +
            "Via: SIP/2.0/UDP c.example.com;branch=z9hG4bK3\n" +
            "From: <sip:a@x>;tag=1\n" +
            "To: <sip:b@x>;\n tag=2\n" +
            "Call-ID: v@x\n" +
            "CSeq: 5 INVITE\n" +
            "Content-Length: 0\n\n";

        var r = SipParser.Parse(Bytes(text), SipFraming.Datagram);

        var res = Assert.IsType<SipResponse>(r.Message);
        Assert.Equal(180, res.StatusCode);
        Assert.Equal(3, res.Vias.Count);
        Assert.Equal(5070, res.Vias[1].Port);
        Assert.Equal("192.0.2.1", res.Vias[1].Received);
        Assert.Equal("2", res.To.Tag);
    }

    [Fact]
    public void Parse_StreamInPieces_NeedsMoreUntilContentLengthIsComplete()
    {
        byte[] all = Bytes(Invite);
        for (int cut = 1; cut < all.Length; cut += 7)
        {
            Assert.Equal(SipParseStatus.NeedMoreData, SipParser.Parse(all.AsSpan(0, cut), SipFraming.Stream).Status);
        }
        var done = SipParser.Parse(all, SipFraming.Stream);
        Assert.Equal(SipParseStatus.Complete, done.Status);
        Assert.Equal(all.Length, done.Consumed);
    }

    [Fact]
    public void Parse_StreamWithTwoMessages_ConsumesOneAtATime()
    {
        byte[] one = Bytes(Invite);
        byte[] two = [.. one, .. one];

        var first = SipParser.Parse(two, SipFraming.Stream);
        var second = SipParser.Parse(two.AsSpan(first.Consumed), SipFraming.Stream);

        Assert.Equal(one.Length, first.Consumed);
        Assert.Equal(SipParseStatus.Complete, second.Status);
        Assert.Equal(one.Length, second.Consumed);
    }

    [Fact]
    public void Parse_DatagramWithExtraBytesAfterBody_DiscardsThem()
    {
        byte[] bytes = [.. Bytes(Invite), .. "garbage"u8.ToArray()];

        var r = SipParser.Parse(bytes, SipFraming.Datagram);

        Assert.Equal(5, r.Message!.Body.Length);
    }

    [Fact]
    public void Parse_DatagramShorterThanContentLength_IsInvalidButAnswerable()
    {
        string text = Invite.Replace("Content-Length: 5", "Content-Length: 40", StringComparison.Ordinal);

        var r = SipParser.Parse(Bytes(text), SipFraming.Datagram);

        Assert.Equal(SipParseStatus.Invalid, r.Status);
        Assert.Equal(SipParseError.BodyTruncated, r.Error);
        Assert.True(SipParser.CanAnswer(r.Partial));
    }

    [Fact]
    public void Parse_StreamBodyBeyondMaximum_IsTooLarge()
    {
        string text = Invite.Replace("Content-Length: 5", "Content-Length: 70000", StringComparison.Ordinal);

        var r = SipParser.Parse(Bytes(text), SipFraming.Stream, 65536);

        Assert.Equal(SipParseError.MessageTooLarge, r.Error);
    }

    [Fact]
    public void Parse_HeadersBeyondMaximumWithoutEnd_IsTooLargeNotNeedMore()
    {
        byte[] big = Encoding.ASCII.GetBytes("INVITE sip:a@b SIP/2.0\r\nX: " + new string('a', 5000));

        var r = SipParser.Parse(big, SipFraming.Stream, 4096);

        Assert.Equal(SipParseError.MessageTooLarge, r.Error);
    }

    [Theory]
    [InlineData("\r\n\r\n", true, 4)]
    [InlineData("\r\n", false, 2)]
    public void Parse_OnlyLineEnds_IsKeepAlive(string text, bool stream, int consumed)
    {
        var r = SipParser.Parse(Encoding.ASCII.GetBytes(text), stream ? SipFraming.Stream : SipFraming.Datagram);

        Assert.Equal(SipParseStatus.KeepAlive, r.Status);
        Assert.Equal(consumed, r.Consumed);
    }

    [Fact]
    public void Serialize_ThenParse_RoundTrips()
    {
        var original = (SipRequest)SipParser.Parse(Bytes(Invite), SipFraming.Datagram).Message!;

        var again = (SipRequest)SipParser.Parse(SipSerializer.Serialize(original), SipFraming.Stream).Message!;

        Assert.Equal(original.CallId, again.CallId);
        Assert.Equal(original.From.ToString(), again.From.ToString());
        Assert.Equal(original.Body.ToArray(), again.Body.ToArray());
        Assert.Equal(original.RequestUri.ToString(), again.RequestUri.ToString());
    }

    [Fact]
    public void Parse_RandomBytes_NeverThrows()
    {
        var random = new Random(7);
        byte[] seed = Bytes(Invite);
        for (int i = 0; i < 3000; i++)
        {
            byte[] mutated = (byte[])seed.Clone();
            int flips = random.Next(1, 8);
            for (int f = 0; f < flips; f++)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }
            int length = random.Next(mutated.Length + 1);
            var r = SipParser.Parse(mutated.AsSpan(0, length), (SipFraming)(i % 2));
            if (r.Status == SipParseStatus.Invalid && r.Partial is not null)
            {
                _ = SipParser.CanAnswer(r.Partial);
            }
            if (r.Message is { } m)
            {
                _ = SipSerializer.Serialize(m);
            }
        }
    }
}
