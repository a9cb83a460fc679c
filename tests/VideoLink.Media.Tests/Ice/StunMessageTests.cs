using System.Net;
using System.Text;
using VideoLink.Media.Ice;

namespace VideoLink.Media.Tests.Ice;

public sealed class StunMessageTests
{
    private static readonly byte[] TransactionId = Convert.FromHexString("B7E7A701BC34D686FA87DFAE");
    private static readonly byte[] Key = Encoding.ASCII.GetBytes("VOkJxbRl1RmTxUk/WvJxBt");

    private static byte[] BuildRequest(bool useCandidate = true)
    {
        var buffer = new byte[256];
        var writer = new StunWriter(buffer, Stun.BindingRequest, TransactionId);
        writer.AddAttribute(Stun.AttrUsername, "evtj:h6vY"u8);
        writer.AddUInt32(Stun.AttrPriority, 0x6E0001FF);
        writer.AddUInt64(Stun.AttrIceControlling, 0x932FF9B151263B36);
        if (useCandidate)
        {
            writer.AddAttribute(Stun.AttrUseCandidate, []);
        }

        writer.AddMessageIntegrity(Key);
        writer.AddFingerprint();
        return buffer[..writer.Length];
    }

    [Fact]
    public void BuiltRequest_ParsesWithAllIceAttributes()
    {
        var request = BuildRequest();

        Assert.True(StunMessage.TryParse(request, out var message));
        Assert.Equal(Stun.BindingRequest, message.Type);
        Assert.Equal("evtj:h6vY", Encoding.ASCII.GetString(message.Username(request)));
        Assert.Equal(0x6E0001FFu, message.Priority);
        Assert.True(message.IceControlling);
        Assert.True(message.UseCandidate);
        Assert.Equal(TransactionId, message.TransactionId(request).ToArray());
        Assert.True(message.VerifyIntegrity(request, Key));
        Assert.True(message.VerifyFingerprint(request));
    }

    [Fact]
    public void Rfc5769SampleRequest_ParsesAndVerifies()
    {
        // RFC 5769 §2.1 (padding bytes are spaces there; receivers must ignore padding content).
        var request = Convert.FromHexString(
            "000100582112a442b7e7a701bc34d686fa87dfae802200105354554e207465737420636c69656e74" +
            "002400046e0001ff80290008932ff9b151263b36000600096576746a3a68367659202020" +
            "000800149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a280280004e57a3bcf");

        Assert.True(StunMessage.TryParse(request, out var message));
        Assert.Equal(Stun.BindingRequest, message.Type);
        Assert.Equal("evtj:h6vY", Encoding.ASCII.GetString(message.Username(request)));
        Assert.Equal(0x6E0001FFu, message.Priority);
        Assert.True(message.IceControlled);
        Assert.True(message.VerifyIntegrity(request, Key));
        Assert.True(message.VerifyFingerprint(request));
    }

    [Fact]
    public void Rfc5769SampleIpv4Response_VerifiesIntegrityAndFingerprint()
    {
        // RFC 5769 §2.2.
        var response = Convert.FromHexString(
            "0101003c2112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f7220" +
            "002000080001a147e112a643000800142b91f599fd9e90c38c7489f92af9ba53f06be7d7" +
            "80280004c07d4c96");

        Assert.True(StunMessage.TryParse(response, out var message));
        Assert.Equal(Stun.BindingSuccess, message.Type);
        Assert.True(message.VerifyIntegrity(response, Key));
        Assert.True(message.VerifyFingerprint(response));
    }

    [Fact]
    public void VerifyIntegrity_WithWrongPassword_Fails()
    {
        var request = BuildRequest();
        Assert.True(StunMessage.TryParse(request, out var message));
        Assert.False(message.VerifyIntegrity(request, "wrong-password-wrong-pw"u8));
    }

    [Fact]
    public void VerifyFingerprint_AfterBitFlip_Fails()
    {
        var request = BuildRequest();
        request[^1] ^= 0x01;
        Assert.True(StunMessage.TryParse(request, out var message));
        Assert.False(message.VerifyFingerprint(request));
    }

    [Fact]
    public void Fingerprint_IsCrc32XorStun()
    {
        // CRC-32 check value of "123456789" is CBF43926 (ISO-HDLC); STUN XORs it with 0x5354554e.
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
    }

    [Fact]
    public void TryParse_EveryTruncation_IsRejectedWithoutThrowing()
    {
        var request = BuildRequest();
        for (var n = 0; n < request.Length; n++)
        {
            Assert.False(StunMessage.TryParse(request.AsSpan(0, n), out _));
        }
    }

    [Fact]
    public void TryParse_AttributeAfterFingerprint_IsRejected()
    {
        var buffer = new byte[256];
        var writer = new StunWriter(buffer, Stun.BindingRequest, TransactionId);
        writer.AddFingerprint();
        writer.AddUInt32(Stun.AttrPriority, 1);
        Assert.False(StunMessage.TryParse(buffer.AsSpan(0, writer.Length), out _));
    }

    [Fact]
    public void XorMappedAddress_Ipv4_MatchesRfc5769Encoding()
    {
        // RFC 5769 §2.2: 192.0.2.1:32853 encodes as family 01, port A147, address E112A643.
        var buffer = new byte[64];
        var writer = new StunWriter(buffer, Stun.BindingSuccess, TransactionId);
        writer.AddXorMappedAddress(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853));
        Assert.Equal("002000080001A147E112A643", Convert.ToHexString(buffer.AsSpan(20, 12)));
    }
}
