using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using TlsCertificate = Org.BouncyCastle.Crypto.Tls.Certificate;

namespace VideoLink.Media.Dtls;

/// <summary>
/// The endpoint's DTLS identity: a self-signed ECDSA P-256 / SHA-256 certificate (what Chromium and aiortc
/// expect; aiortc rejects RSA), and its SHA-256 fingerprint for <c>a=fingerprint</c> (RFC 8122 §5).
/// One per endpoint process; WebRTC authenticates by fingerprint, not by chain.
/// </summary>
internal sealed class DtlsCertificate
{
    private DtlsCertificate(TlsCertificate certificate, AsymmetricKeyParameter privateKey, string fingerprint)
    {
        Certificate = certificate;
        PrivateKey = privateKey;
        Fingerprint = fingerprint;
    }

    public TlsCertificate Certificate { get; }

    public AsymmetricKeyParameter PrivateKey { get; }

    /// <summary>Upper-case colon-separated SHA-256 of the DER certificate, as in <c>a=fingerprint:sha-256</c>.</summary>
    public string Fingerprint { get; }

    public static DtlsCertificate Generate(string commonName = "VideoLink")
    {
        var random = new SecureRandom();
        var generator = new ECKeyPairGenerator();
        generator.Init(new ECKeyGenerationParameters(SecObjectIdentifiers.SecP256r1, random));
        var keyPair = generator.GenerateKeyPair();

        var certGenerator = new X509V3CertificateGenerator();
        var name = new X509Name("CN=" + commonName);
        var serial = new BigInteger(63, random);
        certGenerator.SetSerialNumber(serial);
        certGenerator.SetIssuerDN(name);
        certGenerator.SetSubjectDN(name);
        certGenerator.SetNotBefore(DateTime.UtcNow.AddDays(-1));
        certGenerator.SetNotAfter(DateTime.UtcNow.AddDays(30));
        certGenerator.SetPublicKey(keyPair.Public);
        var x509 = certGenerator.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", keyPair.Private, random));
        var der = x509.GetEncoded();
        var structure = X509CertificateStructure.GetInstance(der);
        return new DtlsCertificate(new TlsCertificate([structure]), keyPair.Private, FormatFingerprint(der));
    }

    public static string FormatFingerprint(ReadOnlySpan<byte> der)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(der, hash);
        var sb = new StringBuilder(95);
        for (var i = 0; i < hash.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(':');
            }

            sb.Append(hash[i].ToString("X2", CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }
}
