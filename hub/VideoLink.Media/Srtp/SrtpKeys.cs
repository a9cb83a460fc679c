using System.Security.Cryptography;

namespace VideoLink.Media.Srtp;

/// <summary>
/// Master key and salt for one direction of SRTP_AES128_CM_HMAC_SHA1_80 (RFC 5764 §4.1.2),
/// and the session-key derivation of RFC 3711 §4.3 with key_derivation_rate 0.
/// </summary>
internal sealed class SrtpMasterKey
{
    public const int KeyLength = 16;
    public const int SaltLength = 14;

    public SrtpMasterKey(ReadOnlySpan<byte> key, ReadOnlySpan<byte> salt)
    {
        if (key.Length != KeyLength || salt.Length != SaltLength)
        {
            throw new ArgumentException("AES-128-CM needs a 16-byte master key and a 14-byte master salt.");
        }

        Key = key.ToArray();
        Salt = salt.ToArray();
    }

    public byte[] Key { get; }

    public byte[] Salt { get; }

    /// <summary>
    /// Splits the 60 bytes of the "EXTRACTOR-dtls_srtp" exporter (RFC 5764 §4.2):
    /// client key | server key | client salt | server salt.
    /// </summary>
    public static (SrtpMasterKey Client, SrtpMasterKey Server) FromDtlsExporter(ReadOnlySpan<byte> material)
    {
        if (material.Length != 2 * (KeyLength + SaltLength))
        {
            throw new ArgumentException("Exporter output must be 60 bytes.", nameof(material));
        }

        var client = new SrtpMasterKey(material[..KeyLength], material.Slice(2 * KeyLength, SaltLength));
        var server = new SrtpMasterKey(material.Slice(KeyLength, KeyLength), material.Slice(2 * KeyLength + SaltLength, SaltLength));
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
    /// keystream of the master key with IV = x * 2^16.
    /// </summary>
    public static void Derive(SrtpMasterKey master, SrtpLabel label, Span<byte> output)
    {
        Span<byte> iv = stackalloc byte[16];
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
