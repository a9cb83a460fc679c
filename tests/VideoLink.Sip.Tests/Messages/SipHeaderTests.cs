using VideoLink.Sip.Messages;

namespace VideoLink.Sip.Tests.Messages;

public sealed class SipHeaderTests
{
    [Theory]
    [InlineData("sip:alice@videolink.test", "alice", "videolink.test", 0)]
    [InlineData("sip:alice:pw@10.0.0.1:5070;transport=tcp;lr?subject=x", "alice", "10.0.0.1", 5070)]
    [InlineData("sips:[2001:db8::1]:5061", null, "[2001:db8::1]", 5061)]
    [InlineData("sip:%61lice@host", "alice", "host", 0)]
    public void SipUri_Parse_ReadsUserHostPort(string text, string? user, string host, int port)
    {
        Assert.True(SipUri.TryParse(text, out var uri));
        Assert.Equal(user, uri.User);
        Assert.Equal(host, uri.Host);
        Assert.Equal(port, uri.Port);
    }

    [Theory]
    [InlineData("sip:")]
    [InlineData("sip:alice@")]
    [InlineData("sip:host:99999")]
    [InlineData("sip:ho st")]
    [InlineData("nocolon")]
    [InlineData("sip:[::1")]
    public void SipUri_Parse_RejectsMalformed(string text) => Assert.False(SipUri.TryParse(text, out _));

    [Fact]
    public void SipUri_Transport_ComesFromParameters()
    {
        var uri = SipUri.Parse("sip:a@b;transport=TCP;lr");
        Assert.Equal("TCP", uri.Transport);
        Assert.Equal("", uri.GetParameter("lr"));
        Assert.Equal("sip:a@b;transport=TCP;lr", uri.ToString());
    }

    [Fact]
    public void NameAddress_AddrSpecForm_ParametersBelongToHeader()
    {
        Assert.True(NameAddress.TryParse("sip:alice@x;tag=abc", out var na));
        Assert.Equal("abc", na.Tag);
        Assert.Null(na.Uri.GetParameter("tag"));
    }

    [Fact]
    public void NameAddress_QuotedDisplayWithEscapes_IsUnquoted()
    {
        Assert.True(NameAddress.TryParse("\"A \\\"quoted\\\" <name>\" <sip:a@x;transport=udp>;expires=60", out var na));
        Assert.Equal("A \"quoted\" <name>", na.DisplayName);
        Assert.Equal("udp", na.Uri.Transport);
        Assert.Equal("60", na.GetParameter("expires"));
    }

    [Fact]
    public void NameAddress_Wildcard_IsRecognised()
    {
        Assert.True(NameAddress.TryParse("*", out var na));
        Assert.True(na.IsWildcard);
    }

    [Fact]
    public void Via_WithSpacesAroundSlashes_Parses()
    {
        Assert.True(ViaHeader.TryParse("SIP / 2.0 / UDP 192.0.2.4:5060 ; branch=z9hG4bKx;rport", out var via));
        Assert.Equal("UDP", via.Transport);
        Assert.Equal("z9hG4bKx", via.Branch);
        Assert.True(via.HasRport);
        Assert.Equal(0, via.RportValue);
    }

    [Fact]
    public void CSeq_RejectsOverflowAndMissingMethod()
    {
        Assert.False(CSeqHeader.TryParse("4294967296 INVITE", out _));
        Assert.False(CSeqHeader.TryParse("12", out _));
        Assert.True(CSeqHeader.TryParse("4294967295 INVITE", out var c));
        Assert.Equal(uint.MaxValue, c.Number);
    }
}
