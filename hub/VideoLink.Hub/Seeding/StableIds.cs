using System.Security.Cryptography;
using System.Text;

namespace VideoLink.Hub.Seeding;

/// <summary>
/// Ids derived from a seed code (name-based, RFC 9562 §5.5 style), so the same district loads with the same ids on
/// every machine and loading it twice finds the rows it made the first time.
/// </summary>
public static class StableIds
{
    public static Guid For(string kind, string code)
    {
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(Encoding.UTF8.GetBytes("videolink:" + kind + ":" + code), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
