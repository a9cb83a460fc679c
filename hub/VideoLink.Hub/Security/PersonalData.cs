using System.Security.Cryptography;
using System.Text;

namespace VideoLink.Hub.Security;

/// <summary>
/// Resident ID numbers and phone numbers are sensitive personal data (PIPL): the hub keeps a keyed hash (to
/// recognise the same card again) and a masked form (for display), never the number itself.
/// </summary>
public sealed class PersonalData(SigningKeyStore keys)
{
    /// <summary>
    /// The district's salt for resident ID numbers, derived from the installation's pepper. Station agents receive it at
    /// enrolment and hash what their card readers read the same way, so a swipe at any kiosk matches the person here.
    /// </summary>
    public string IdNumberSalt => Convert.ToHexStringLower(HMACSHA256.HashData(keys.PersonalDataPepper, "resident-id-salt"u8))[..32];

    /// <summary>SHA-256(salt + upper-case ID number): the same rule the agents' ID-card readers apply.</summary>
    public string HashIdNumber(string idNumber) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(IdNumberSalt + idNumber.Trim().ToUpperInvariant())));

    /// <summary>Keyed hash for other personal data (phone numbers) that never leaves the hub.</summary>
    public string Hash(string value)
    {
        var normalised = value.Trim().ToUpperInvariant();
        return Convert.ToHexStringLower(HMACSHA256.HashData(keys.PersonalDataPepper, Encoding.UTF8.GetBytes(normalised)));
    }

    /// <summary>"110105199001011234" → "1101**********1234": region prefix and last four kept.</summary>
    public static string MaskIdNumber(string value)
    {
        var v = value.Trim();
        if (v.Length <= 8)
        {
            return new string('*', v.Length);
        }

        return string.Concat(v.AsSpan(0, 4), new string('*', v.Length - 8), v.AsSpan(v.Length - 4));
    }

    /// <summary>"13800138000" → "138****8000".</summary>
    public static string MaskPhone(string value)
    {
        var v = value.Trim();
        if (v.Length <= 7)
        {
            return new string('*', v.Length);
        }

        return string.Concat(v.AsSpan(0, 3), new string('*', v.Length - 7), v.AsSpan(v.Length - 4));
    }

    /// <summary>Checks the GB 11643 18-digit resident ID (ISO 7064 MOD 11-2 check character).</summary>
    public static bool IsValidResidentId(string value)
    {
        ReadOnlySpan<int> weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        const string checks = "10X98765432";
        var v = value.Trim().ToUpperInvariant();
        if (v.Length != 18)
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(v[i]))
            {
                return false;
            }

            sum += (v[i] - '0') * weights[i];
        }

        return v[17] == checks[sum % 11];
    }
}
