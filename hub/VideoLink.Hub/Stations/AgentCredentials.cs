using System.Security.Cryptography;
using System.Text;

namespace VideoLink.Hub.Stations;

/// <summary>
/// Station-agent secrets. An agent token is <c>va1.{agentId}.{secret}</c>; the hub keeps only SHA-256 of the secret
/// (256 random bits, so a plain hash is enough). Enrolment tokens are kept the same way. None of them is a user login.
/// </summary>
public static class AgentCredentials
{
    public const string Prefix = "va1.";

    public static string NewSecret() => Base64UrlSafe(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static string Token(Guid agentId, string secret) => $"{Prefix}{agentId:N}.{secret}";

    public static bool TryParse(string token, out Guid agentId, out string secret)
    {
        agentId = Guid.Empty;
        secret = "";
        if (!token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length > 200)
        {
            return false;
        }

        var rest = token.AsSpan(Prefix.Length);
        var dot = rest.IndexOf('.');
        if (dot <= 0 || !Guid.TryParseExact(rest[..dot], "N", out agentId))
        {
            return false;
        }

        secret = rest[(dot + 1)..].ToString();
        return secret.Length > 0;
    }

    public static bool Matches(string secret, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(storedHash));

    private static string Base64UrlSafe(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
