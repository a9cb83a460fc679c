using System.Security.Cryptography;

namespace VideoLink.Media.Ice;

/// <summary>Random ICE ufrag and password (RFC 8839 §5.4: ice-char, ≥ 4 and ≥ 22 characters, ≥ 24 and 128 bits of randomness).</summary>
internal static class IceCredentials
{
    private const string IceChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    public static string NewUfrag() => RandomNumberGenerator.GetString(IceChars, 8);

    public static string NewPassword() => RandomNumberGenerator.GetString(IceChars, 24);
}
