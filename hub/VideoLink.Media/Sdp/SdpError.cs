namespace VideoLink.Media.Sdp;

/// <summary>Why an offer cannot be served; the hub maps these to 4xx answers (400 / 488-style).</summary>
public enum SdpError
{
    None,
    Malformed,
    MissingIceCredentials,
    MissingFingerprint,
    UnsupportedFingerprintAlgorithm,
    UnsupportedTransport,
    UnsupportedDtlsRole,
    RtcpMuxRequired,
    NoCommonCodec,
}
