using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using VideoLink.Hub.Hosting;

namespace VideoLink.Hub.Security;

/// <summary>
/// Secrets the hub keeps for itself: the bearer-token key and the pepper for hashing personal ID numbers.
/// Configured values win; otherwise they are generated once and kept (owner-only) in the data folder.
/// </summary>
public sealed class SigningKeyStore
{
    public SigningKeyStore(IOptions<AuthOptions> auth, IOptions<HubOptions> hub)
    {
        var folder = Path.Combine(hub.Value.DataDirectory, "keys");
        TokenKey = string.IsNullOrWhiteSpace(auth.Value.SigningKey)
            ? LoadOrCreate(Path.Combine(folder, "token-signing.key"))
            : Convert.FromBase64String(auth.Value.SigningKey);
        if (TokenKey.Length < 32)
        {
            throw new OptionsValidationException(AuthOptions.SectionName, typeof(AuthOptions), ["Auth:SigningKey must be at least 32 bytes (base64)."]);
        }

        PersonalDataPepper = LoadOrCreate(Path.Combine(folder, "personal-data.pepper"));
    }

    public byte[] TokenKey { get; }

    public byte[] PersonalDataPepper { get; }

    private static byte[] LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = RandomNumberGenerator.GetBytes(32);
        var temp = path + ".tmp";
        File.WriteAllText(temp, Convert.ToBase64String(key));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        // Another process may have raced us; keep whichever landed first.
        try
        {
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException)
        {
            File.Delete(temp);
        }

        return Convert.FromBase64String(File.ReadAllText(path).Trim());
    }
}
