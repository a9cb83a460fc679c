using System.Collections;
using Org.BouncyCastle.Crypto.Tls;
using Org.BouncyCastle.Utilities;
using VideoLink.Media.Srtp;
using TlsCertificate = Org.BouncyCastle.Crypto.Tls.Certificate;

namespace VideoLink.Media.Dtls;

/// <summary>
/// The DTLS 1.2 server side of DTLS-SRTP (RFC 5764) on BouncyCastle 1.8: ECDHE_ECDSA with AES-128-GCM, the
/// use_srtp extension (the first of our SRTP profiles the client offers: AEAD_AES_128_GCM, then
/// AES128_CM_HMAC_SHA1_80), a CertificateRequest listing ecdsa_sign (Chromium
/// checks it since 124), and the peer's certificate checked against the SDP fingerprint (RFC 8122 §5).
/// </summary>
internal sealed class DtlsSrtpServer : DefaultTlsServer
{
    /// <summary>RFC 5764 §4.2 exporter label.</summary>
    public const string ExporterLabel = "EXTRACTOR-dtls_srtp";

    private readonly DtlsCertificate _certificate;
    private readonly string _expectedRemoteFingerprint;
    private readonly IReadOnlyList<SrtpProfile> _profiles;

    public DtlsSrtpServer(DtlsCertificate certificate, string expectedRemoteFingerprint, IReadOnlyList<SrtpProfile>? profiles = null)
    {
        _certificate = certificate;
        _expectedRemoteFingerprint = expectedRemoteFingerprint;
        _profiles = profiles ?? SrtpProfiles.Default;
    }

    /// <summary>The profile chosen from the client's use_srtp list.</summary>
    public SrtpProfile SelectedSrtpProfile { get; private set; }

    /// <summary>Set when the handshake completes: client key | server key | client salt | server salt.</summary>
    public byte[]? SrtpKeyingMaterial { get; private set; }

    public string? RemoteFingerprint { get; private set; }

    public bool ExtendedMasterSecret { get; private set; }

    public int SelectedCipherSuiteId => mSelectedCipherSuite;

    public byte? LastAlertReceived { get; private set; }

    protected override ProtocolVersion MinimumVersion => ProtocolVersion.DTLSv10;

    protected override ProtocolVersion MaximumVersion => ProtocolVersion.DTLSv12;

    protected override int[] GetCipherSuites() =>
    [
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    ];

    public override CertificateRequest GetCertificateRequest()
    {
        // RFC 5246 §7.4.4: the types and signature algorithms the client's certificate may use.
        IList algorithms = new ArrayList
        {
            new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa),
            new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.rsa),
        };
        return new CertificateRequest([ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign], algorithms, null);
    }

    public override void NotifyClientCertificate(TlsCertificate clientCertificate)
    {
        var chain = clientCertificate.GetCertificateList();
        if (chain is null || chain.Length == 0)
        {
            throw new TlsFatalAlert(AlertDescription.bad_certificate);
        }

        // WebRTC has no chain of trust: the certificate is authentic if it matches the signalled fingerprint.
        RemoteFingerprint = DtlsCertificate.FormatFingerprint(chain[0].GetEncoded());
        if (!string.Equals(RemoteFingerprint, _expectedRemoteFingerprint, StringComparison.OrdinalIgnoreCase))
        {
            throw new TlsFatalAlert(AlertDescription.bad_certificate);
        }
    }

    public override void ProcessClientExtensions(IDictionary clientExtensions)
    {
        base.ProcessClientExtensions(clientExtensions);
        var useSrtp = TlsSRTPUtils.GetUseSrtpExtension(clientExtensions)
            ?? throw new TlsFatalAlert(AlertDescription.handshake_failure);

        // RFC 5764 §4.1.3: the server picks one of the client's profiles; ours decide the order.
        var chosen = _profiles.Where(p => Array.IndexOf(useSrtp.ProtectionProfiles, (int)p) >= 0).Take(1).ToArray();
        if (chosen.Length == 0)
        {
            throw new TlsFatalAlert(AlertDescription.handshake_failure);
        }

        SelectedSrtpProfile = chosen[0];
    }

    public override IDictionary GetServerExtensions()
    {
        // A ClientHello without any extension never reaches ProcessClientExtensions: no use_srtp, no DTLS-SRTP.
        if (!Enum.IsDefined(SelectedSrtpProfile))
        {
            throw new TlsFatalAlert(AlertDescription.handshake_failure);
        }

        var extensions = TlsExtensionsUtilities.EnsureExtensionsInitialised(base.GetServerExtensions());
        TlsSRTPUtils.AddUseSrtpExtension(
            extensions,
            new UseSrtpData([(int)SelectedSrtpProfile], Arrays.EmptyBytes));
        return extensions;
    }

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        SrtpKeyingMaterial = mContext.ExportKeyingMaterial(ExporterLabel, null, SrtpMasterKey.ExporterLength(SelectedSrtpProfile));

        // What the handshake actually used (RFC 7627), not merely what the client offered.
        ExtendedMasterSecret = mContext.SecurityParameters.IsExtendedMasterSecret;
    }

    public override void NotifyAlertReceived(byte alertLevel, byte alertDescription) => LastAlertReceived = alertDescription;

    protected override TlsSignerCredentials GetECDsaSignerCredentials() =>
        new DefaultTlsSignerCredentials(
            mContext,
            _certificate.Certificate,
            _certificate.PrivateKey,
            new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
}
