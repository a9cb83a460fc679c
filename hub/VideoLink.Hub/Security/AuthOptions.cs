using System.ComponentModel.DataAnnotations;

namespace VideoLink.Hub.Security;

/// <summary>Login and token settings ("Auth" section).</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";
    public const int DefaultLockoutThreshold = 5;
    public const int DefaultLockoutMinutes = 15;
    public const int DefaultTokenHours = 12;
    public const string AdminPasswordVariable = "VIDEOLINK_ADMIN_PASSWORD";

    /// <summary>Base64 HMAC key (≥ 32 bytes) for bearer tokens; when empty a key is generated and kept in the data folder.</summary>
    public string? SigningKey { get; set; }

    [Range(1, 24 * 30)]
    public int TokenHours { get; set; } = DefaultTokenHours;

    [Range(1, 100)]
    public int LockoutThreshold { get; set; } = DefaultLockoutThreshold;

    [Range(1, 24 * 60)]
    public int LockoutMinutes { get; set; } = DefaultLockoutMinutes;

    [Range(8, 128)]
    public int MinimumPasswordLength { get; set; } = 8;
}
