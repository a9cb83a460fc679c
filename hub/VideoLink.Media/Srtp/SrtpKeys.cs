using System.Security.Cryptography;

namespace VideoLink.Media.Srtp;

/// <summary>
/// The SRTP protection profiles DTLS-SRTP negotiates in use_srtp (RFC 5764 §4.1.2, RFC 7714 §14.2); the value is the
/// profile's code point.
/// </summary>
internal enum SrtpProfile
{
    /// <summary>SRTP_AES128_CM_HMAC_SHA1_80: AES counter mode and an 80-bit HMAC-SHA1 tag (RFC 3711).</summary>
    AesCm128HmacSha1_80 = 0x0001,

    /// <summary>SRTP_AEAD_AES_128_GCM: AES-GCM, one pass for secrecy and a 128-bit tag (RFC 7714).</summary>
    AeadAes128Gcm = 0x0007,
}

internal static class SrtpProfiles
{
    /// <summary>What the hub offers and prefers unless configured otherwise: GCM first (cheaper per packet; Chromium offers it).</summary>
    public static readonly IReadOnlyList<SrtpProfile> Default = [SrtpProfile.AeadAes128Gcm, SrtpProfile.AesCm128HmacSha1_80];

    public static int MasterSaltLength(this SrtpProfile profile) => profile == SrtpProfile.AeadAes128Gcm ? 12 : 14;

    public static int TagLength(this SrtpProfile profile) => profile == SrtpProfile.AeadAes128Gcm ? 16 : 10;

    /// <summary>The IANA DTLS-SRTP profile name, which is also what getStats shows as <c>srtpCipher</c>.</summary>
    public static string Name(this SrtpProfile profile) =>
        profile == SrtpProfile.AeadAes128Gcm ? "SRTP_AEAD_AES_128_GCM" : "SRTP_AES128_CM_HMAC_SHA1_80";

    /// <summary>The crypto-suite name of the same profile (RFC 4568 §6.2, RFC 7714 §12).</summary>
    public static string SuiteName(this SrtpProfile profile) =>
        profile == SrtpProfile.AeadAes128Gcm ? "AEAD_AES_128_GCM" : "AES_CM_128_HMAC_SHA1_80";

    /// <summary>Either name of a profile, any case.</summary>
    public static bool TryParse(string name, out SrtpProfile profile)
    {
        foreach (var candidate in Default)
        {
            if (string.Equals(candidate.Name(), name.Trim(), StringComparison.OrdinalIgnoreCase)
                || string.Equals(candidate.SuiteName(), name.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                profile = candidate;
                return true;
            }
        }

        profile = default;
        return false;
    }

    /// <summary>Parses a comma-separated preference list; null when a name is unknown, repeated, or none is given.</summary>
    public static IReadOnlyList<SrtpProfile>? ParseList(string? names)
    {
        var list = new List<SrtpProfile>();
        foreach (var name in (names ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!TryParse(name, out var profile) || list.Contains(profile))
            {
                return null;
            }

            list.Add(profile);
        }

        return list.Count == 0 ? null : list;
    }
}

/// <summary>
/// Master key and salt for one direction of SRTP (RFC 5764 §4.1.2): a 16-byte key and a 14-byte salt for
/// AES_CM_128_HMAC_SHA1_80, a 12-byte salt for AEAD_AES_128_GCM (RFC 7714 §12); the session keys come from the
/// RFC 3711 §4.3 derivation with key_derivation_rate 0 for both.
/// </summary>
internal sealed class SrtpMasterKey
{
    public const int KeyLength = 16;
    public const int SaltLength = 14;

    public SrtpMasterKey(ReadOnlySpan<byte> key, ReadOnlySpan<byte> salt, SrtpProfile profile = SrtpProfile.AesCm128HmacSha1_80)
    {
        if (key.Length != KeyLength || salt.Length != profile.MasterSaltLength())
        {
            throw new ArgumentException(
                $"{profile.Name()} needs a {KeyLength}-byte master key and a {profile.MasterSaltLength()}-byte master salt.");
        }

        Key = key.ToArray();
        Salt = salt.ToArray();
        Profile = profile;
    }

    public byte[] Key { get; }

    public byte[] Salt { get; }

    public SrtpProfile Profile { get; }

    /// <summary>How many bytes of the "EXTRACTOR-dtls_srtp" exporter a profile takes (RFC 5764 §4.2).</summary>
    public static int ExporterLength(SrtpProfile profile) => 2 * (KeyLength + profile.MasterSaltLength());

    /// <summary>
    /// Splits the output of the "EXTRACTOR-dtls_srtp" exporter (RFC 5764 §4.2):
    /// client key | server key | client salt | server salt.
    /// </summary>
    public static (SrtpMasterKey Client, SrtpMasterKey Server) FromDtlsExporter(
        ReadOnlySpan<byte> material, SrtpProfile profile = SrtpProfile.AesCm128HmacSha1_80)
    {
        var saltLength = profile.MasterSaltLength();
        if (material.Length != ExporterLength(profile))
        {
            throw new ArgumentException($"Exporter output for {profile.Name()} must be {ExporterLength(profile)} bytes.", nameof(material));
        }

        var client = new SrtpMasterKey(material[..KeyLength], material.Slice(2 * KeyLength, saltLength), profile);
        var server = new SrtpMasterKey(material.Slice(KeyLength, KeyLength), material.Slice(2 * KeyLength + saltLength, saltLength), profile);
        return (client, server);
    }
}

/// <summary>Labels of RFC 3711 §4.3.1 (RTP) and §4.3.2 (RTCP).</summary>
internal enum SrtpLabel : byte
{
    RtpEncryption = 0,
    RtpAuthentication = 1,
    RtpSalt = 2,
    RtcpEncryption = 3,
    RtcpAuthentication = 4,
    RtcpSalt = 5,
}

internal static class SrtpKeyDerivation
{
    /// <summary>
    /// RFC 3711 §4.3.1 with kdr = 0: x = (label || r) XOR master_salt, r = 0; the output is the AES-CM
    /// keystream of the master key with IV = x * 2^16. A 96-bit GCM master salt fills the first 12 of the 14 bytes,
    /// the rest zero (RFC 7714 §11, as libsrtp and so Chromium do it).
    /// </summary>
    public static void Derive(SrtpMasterKey master, SrtpLabel label, Span<byte> output)
    {
        Span<byte> iv = stackalloc byte[16];
        iv.Clear();
        master.Salt.CopyTo(iv);
        // key_id = label || r (48 bits of zero) is 56 bits wide, aligned to the right of the 112-bit salt,
        // so the label lands on byte 7 of the salt.
        iv[7] ^= (byte)label;
        using var aes = Aes.Create();
        aes.Key = master.Key;
        Span<byte> block = stackalloc byte[16];
        var counter = 0;
        for (var offset = 0; offset < output.Length; offset += 16)
        {
            iv[14] = (byte)(counter >> 8);
            iv[15] = (byte)counter;
            aes.EncryptEcb(iv, block, PaddingMode.None);
            var n = Math.Min(16, output.Length - offset);
            block[..n].CopyTo(output[offset..]);
            counter++;
        }
    }
}
