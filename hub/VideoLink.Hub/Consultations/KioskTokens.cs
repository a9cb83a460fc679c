using System.Security.Cryptography;
using System.Text;

namespace VideoLink.Hub.Consultations;

/// <summary>
/// A kiosk credential is <c>vk1.{credentialId}.{secret}</c>: 256 random bits, of which the hub keeps only SHA-256. It
/// is sent as a bearer token and makes the caller the kiosk of one site — never a user login.
/// </summary>
public static class KioskTokens
{
    public const string Prefix = "vk1.";
    public const string Role = "Kiosk";
    public const string SiteClaim = "videolink:kiosk-site";

    public static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static string Token(Guid id, string secret) => $"{Prefix}{id:N}.{secret}";

    public static bool TryParse(string token, out Guid id, out string secret)
    {
        id = Guid.Empty;
        secret = "";
        if (!token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length > 200)
        {
            return false;
        }

        var rest = token.AsSpan(Prefix.Length);
        var dot = rest.IndexOf('.');
        if (dot <= 0 || !Guid.TryParseExact(rest[..dot], "N", out id))
        {
            return false;
        }

        secret = rest[(dot + 1)..].ToString();
        return secret.Length > 0;
    }

    public static bool Matches(string secret, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(storedHash));
}
