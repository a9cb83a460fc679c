using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace VideoLink.Hub.Security;

/// <summary>
/// Issues and checks compact JWTs (RFC 7519) signed with HS256. Written here because the JwtBearer package
/// does not restore from the registry these machines reach; only HS256 is accepted ("alg" is never trusted).
/// </summary>
public sealed class BearerTokens(SigningKeyStore keys, IOptions<AuthOptions> options, TimeProvider clock)
{
    private static readonly byte[] HeaderSegment = Encoding.ASCII.GetBytes(Base64Url.EncodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"u8));

    public string Issue(Guid userId, string username, DateTimeOffset? expires = null)
    {
        var now = clock.GetUtcNow();
        var claims = new TokenClaims
        {
            Subject = userId.ToString(),
            Name = username,
            IssuedAt = now.ToUnixTimeSeconds(),
            Expires = (expires ?? now.AddHours(options.Value.TokenHours)).ToUnixTimeSeconds(),
            TokenId = Guid.NewGuid().ToString("N"),
        };
        var payload = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(claims, TokenJson.Default.TokenClaims));
        var signingInput = Encoding.ASCII.GetString(HeaderSegment) + "." + payload;
        var signature = HMACSHA256.HashData(keys.TokenKey, Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>Returns the user id when the token is well formed, correctly signed and not expired.</summary>
    public bool TryValidate(string token, out Guid userId)
    {
        userId = Guid.Empty;
        if (token.Length > 4096)
        {
            return false;
        }

        var parts = token.Split('.');
        if (parts.Length != 3 || !string.Equals(parts[0], Encoding.ASCII.GetString(HeaderSegment), StringComparison.Ordinal))
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(keys.TokenKey, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), expected);
        byte[] given;
        try
        {
            given = Base64Url.DecodeFromChars(parts[2]);
        }
        catch (FormatException)
        {
            return false;
        }

        if (!CryptographicOperations.FixedTimeEquals(expected, given))
        {
            return false;
        }

        TokenClaims? claims;
        try
        {
            claims = JsonSerializer.Deserialize(Base64Url.DecodeFromChars(parts[1]), TokenJson.Default.TokenClaims);
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return false;
        }

        if (claims is null || claims.Expires <= clock.GetUtcNow().ToUnixTimeSeconds())
        {
            return false;
        }

        return Guid.TryParse(claims.Subject, out userId);
    }
}

internal sealed class TokenClaims
{
    [JsonPropertyName("sub")]
    public string Subject { get; set; } = "";

    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("iat")]
    public long IssuedAt { get; set; }

    [JsonPropertyName("exp")]
    public long Expires { get; set; }

    [JsonPropertyName("jti")]
    public string TokenId { get; set; } = "";
}

[JsonSerializable(typeof(TokenClaims))]
internal sealed partial class TokenJson : JsonSerializerContext;
