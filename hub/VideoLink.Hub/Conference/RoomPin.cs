using System.Security.Cryptography;
using System.Text;

namespace VideoLink.Hub.Conference;

/// <summary>
/// A room's dial-in PIN is stored only as PBKDF2-SHA256 over the digits with a random salt (<c>v1$salt$hash</c>, hex), so
/// a copy of the database does not hand out every meeting's PIN; checking one dial-in costs a few milliseconds.
/// </summary>
public static class RoomPin
{
    private const int Iterations = 20_000;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static string Hash(string pin)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        return $"v1${Convert.ToHexString(salt)}${Convert.ToHexString(Derive(pin, salt))}";
    }

    /// <summary>True if <paramref name="entered"/> is the PIN behind <paramref name="stored"/>; false for anything malformed.</summary>
    public static bool Matches(string stored, string? entered)
    {
        var parts = stored.Split('$');
        if (entered is null || parts.Length != 3 || parts[0] != "v1")
        {
            return false;
        }

        try
        {
            return CryptographicOperations.FixedTimeEquals(Derive(entered, Convert.FromHexString(parts[1])), Convert.FromHexString(parts[2]));
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static byte[] Derive(string pin, byte[] salt) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(pin), salt, Iterations, HashAlgorithmName.SHA256, HashBytes);
}
