#if MEDIA_INTERNALS
using VideoLink.Media.Srtp;

namespace VideoLink.Bench.Support;

/// <summary>Fixed master keys, so every run encrypts the same bytes (the cost does not depend on them).</summary>
internal static class BenchKeys
{
    public static SrtpMasterKey Create(byte seed, SrtpProfile profile = SrtpProfile.AesCm128HmacSha1_80)
    {
        Span<byte> key = stackalloc byte[SrtpMasterKey.KeyLength];
        Span<byte> salt = stackalloc byte[profile.MasterSaltLength()];
        for (var i = 0; i < key.Length; i++)
        {
            key[i] = (byte)(seed + i);
        }

        for (var i = 0; i < salt.Length; i++)
        {
            salt[i] = (byte)(seed ^ (0x5A + i));
        }

        return new SrtpMasterKey(key, salt, profile);
    }
}
#endif
