using System.Collections;
using Org.BouncyCastle.Crypto.Tls;
using Org.BouncyCastle.Utilities;
using VideoLink.Media.Srtp;
using TlsCertificate = Org.BouncyCastle.Crypto.Tls.Certificate;

namespace VideoLink.Media.Dtls;

/// <summary>
/// The DTLS 1.2 client side of DTLS-SRTP (RFC 5764), for offers with <c>a=setup:passive</c> (RFC 8842 §5.3): the
/// same suite, use_srtp profile and extended master secret as <see cref="DtlsSrtpServer"/>, our ECDSA certificate
/// when asked for one, and the server's certificate checked against the SDP fingerprint.
/// </summary>
internal sealed class DtlsSrtpClient : DefaultTlsClient
{
    private readonly DtlsCertificate _certificate;
    private readonly string _expectedRemoteFingerprint;
    private readonly IReadOnlyList<SrtpProfile> _profiles;

    public DtlsSrtpClient(DtlsCertificate certificate, string expectedRemoteFingerprint, IReadOnlyList<SrtpProfile>? profiles = null)
    {
        _certificate = certificate;
        _expectedRemoteFingerprint = expectedRemoteFingerprint;
        _profiles = profiles ?? SrtpProfiles.Default;
    }

    /// <summary>The profile the server chose from our use_srtp list.</summary>
    public SrtpProfile SelectedSrtpProfile { get; private set; }

    /// <summary>Set when the handshake completes: client key | server key | client salt | server salt.</summary>
    public byte[]? SrtpKeyingMaterial { get; private set; }

    public byte? LastAlertReceived { get; private set; }

    public int SelectedCipherSuiteId => mSelectedCipherSuite;

    public override ProtocolVersion ClientVersion => ProtocolVersion.DTLSv12;

    public override ProtocolVersion MinimumVersion => ProtocolVersion.DTLSv10;

    public override int[] GetCipherSuites() =>
    [
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    ];

    public override IDictionary GetClientExtensions()
    {
        var extensions = TlsExtensionsUtilities.EnsureExtensionsInitialised(base.GetClientExtensions());
        TlsSRTPUtils.AddUseSrtpExtension(
            extensions,
            new UseSrtpData([.. _profiles.Select(p => (int)p)], Arrays.EmptyBytes));
        TlsExtensionsUtilities.AddExtendedMasterSecretExtension(extensions);
        return extensions;
    }

    public override void ProcessServerExtensions(IDictionary serverExtensions)
    {
        base.ProcessServerExtensions(serverExtensions);
        // RFC 5764 §4.1.1: exactly one profile, one that we offered.
        var useSrtp = TlsSRTPUtils.GetUseSrtpExtension(serverExtensions);
        if (useSrtp is null || useSrtp.ProtectionProfiles.Length != 1 || !_profiles.Contains((SrtpProfile)useSrtp.ProtectionProfiles[0]))
        {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter);
        }

        SelectedSrtpProfile = (SrtpProfile)useSrtp.ProtectionProfiles[0];
    }

    public override TlsAuthentication GetAuthentication() => new Authentication(this);

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        SrtpKeyingMaterial = mContext.ExportKeyingMaterial(DtlsSrtpServer.ExporterLabel, null, SrtpMasterKey.ExporterLength(SelectedSrtpProfile));
    }

    public override void NotifyAlertReceived(byte alertLevel, byte alertDescription) => LastAlertReceived = alertDescription;

    private sealed class Authentication(DtlsSrtpClient owner) : TlsAuthentication
    {
        public void NotifyServerCertificate(TlsCertificate serverCertificate)
        {
            var chain = serverCertificate.GetCertificateList();
            if (chain is null || chain.Length == 0
                || !string.Equals(
                    DtlsCertificate.FormatFingerprint(chain[0].GetEncoded()),
                    owner._expectedRemoteFingerprint,
                    StringComparison.OrdinalIgnoreCase))
            {
                throw new TlsFatalAlert(AlertDescription.bad_certificate);
            }
        }

        public TlsCredentials GetClientCredentials(CertificateRequest certificateRequest) =>
            new DefaultTlsSignerCredentials(
                owner.mContext,
                owner._certificate.Certificate,
                owner._certificate.PrivateKey,
                new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }
}
