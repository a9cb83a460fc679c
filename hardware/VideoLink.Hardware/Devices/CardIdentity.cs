using System.Security.Cryptography;
using System.Text;

namespace VideoLink.Hardware.Devices;

/// <summary>Where a card identity came from.</summary>
public enum CardKind
{
    /// <summary>China 2nd-generation resident ID card (居民身份证).</summary>
    ResidentIdCard,

    /// <summary>125 kHz EM4100 proximity tag.</summary>
    Em4100,

    /// <summary>Digits typed by a keyboard-wedge reader or QR scanner.</summary>
    KeyboardWedge,
}

/// <summary>
/// A card identity safe to log and store: resident ID numbers appear only masked
/// (<c>4101**********1234</c>) and as a salted SHA-256 hash (GB 11643 numbers are personal data under PIPL).
/// </summary>
public sealed record CardIdentity
{
    /// <summary>Where it came from.</summary>
    public required CardKind Kind { get; init; }

    /// <summary>A stable key for matching people: the card number for tags, the salted hash for ID cards.</summary>
    public required string Key { get; init; }

    /// <summary>What staff may see, e.g. <c>4101**********1234</c> or an EM4100 tag number.</summary>
    public required string Display { get; init; }

    /// <summary>Person's name from an ID card.</summary>
    public string? Name { get; init; }

    /// <summary>Sex from an ID card (男/女).</summary>
    public string? Sex { get; init; }

    /// <summary>Birth date from an ID card.</summary>
    public DateOnly? BirthDate { get; init; }

    /// <summary>Address from an ID card.</summary>
    public string? Address { get; init; }

    /// <summary>Masks an 18-character ID number to its first 4 and last 4 characters.</summary>
    public static string MaskIdNumber(string idNumber)
    {
        ArgumentNullException.ThrowIfNull(idNumber);
        if (idNumber.Length <= 8)
        {
            return new string('*', idNumber.Length);
        }

        return string.Concat(idNumber.AsSpan(0, 4), new string('*', idNumber.Length - 8), idNumber.AsSpan(idNumber.Length - 4));
    }

    /// <summary>Lower-case hex SHA-256 of salt + ID number (upper-cased, so a final 'x' and 'X' agree).</summary>
    public static string HashIdNumber(string idNumber, string salt)
    {
        ArgumentNullException.ThrowIfNull(idNumber);
        ArgumentNullException.ThrowIfNull(salt);
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(salt + idNumber.ToUpperInvariant()));
        return Convert.ToHexStringLower(hash);
    }

    /// <inheritdoc />
    public override string ToString() => Name is null ? $"{Kind} {Display}" : $"{Kind} {Name} {Display}";
}
