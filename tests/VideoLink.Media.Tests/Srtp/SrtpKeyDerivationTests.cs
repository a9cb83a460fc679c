using VideoLink.Media.Srtp;

namespace VideoLink.Media.Tests.Srtp;

public sealed class SrtpKeyDerivationTests
{
    private static readonly SrtpMasterKey Rfc3711Master = new(
        Convert.FromHexString("E1F97A0D3E018BE0D64FA32C06DE4139"),
        Convert.FromHexString("0EC675AD498AFEEBB6960B3AABE6"));

    [Fact]
    public void Derive_Rfc3711AppendixB3_CipherKeyMatches()
    {
        var key = new byte[16];
        SrtpKeyDerivation.Derive(Rfc3711Master, SrtpLabel.RtpEncryption, key);
        Assert.Equal("C61E7A93744F39EE10734AFE3FF7A087", Convert.ToHexString(key));
    }

    [Fact]
    public void Derive_Rfc3711AppendixB3_CipherSaltMatches()
    {
        var salt = new byte[14];
        SrtpKeyDerivation.Derive(Rfc3711Master, SrtpLabel.RtpSalt, salt);
        Assert.Equal("30CBBC08863D8C85D49DB34A9AE1", Convert.ToHexString(salt));
    }

    [Fact]
    public void Derive_Rfc3711AppendixB3_AuthKeyMatches()
    {
        var auth = new byte[20];
        SrtpKeyDerivation.Derive(Rfc3711Master, SrtpLabel.RtpAuthentication, auth);
        Assert.Equal("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4", Convert.ToHexString(auth));
    }

    [Fact]
    public void AesCounterMode_Rfc3711AppendixB2_KeystreamMatches()
    {
        using var aes = new AesCounterMode(Convert.FromHexString("2B7E151628AED2A6ABF7158809CF4F3C"));
        var iv = Convert.FromHexString("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");
        var keystream = new byte[48];
        aes.Keystream(iv, keystream);
        Assert.Equal(
            "E03EAD0935C95E80E166B16DD92B4EB4" + "D23513162B02D0F72A43A2FE4A5F97AB" + "41E95B3BB0A2E8DD477901E4FCA894C0",
            Convert.ToHexString(keystream));
    }

    [Fact]
    public void FromDtlsExporter_SplitsClientKeyServerKeyClientSaltServerSalt()
    {
        var material = Enumerable.Range(0, 60).Select(i => (byte)i).ToArray();
        var (client, server) = SrtpMasterKey.FromDtlsExporter(material);
        Assert.Equal(material[..16], client.Key);
        Assert.Equal(material[16..32], server.Key);
        Assert.Equal(material[32..46], client.Salt);
        Assert.Equal(material[46..60], server.Salt);
    }
}
