using System.Text;

namespace VideoLink.Sip.Registrar;

/// <summary>Parsed <c>Authorization</c>/<c>Proxy-Authorization</c> digest credentials (RFC 3261 §22.4, RFC 7616 §3.4).</summary>
internal sealed class DigestCredentials
{
    public string? Username { get; private set; }
    public string? Realm { get; private set; }
    public string? Nonce { get; private set; }
    public string? Uri { get; private set; }
    public string? Response { get; private set; }
    public string Algorithm { get; private set; } = "MD5";
    public string? Qop { get; private set; }
    public string? Nc { get; private set; }
    public string? CNonce { get; private set; }

    public static bool TryParse(string header, out DigestCredentials credentials)
    {
        credentials = new DigestCredentials();
        var s = header.AsSpan().Trim();
        if (!s.StartsWith("Digest", StringComparison.OrdinalIgnoreCase) || s.Length < 7 || !char.IsWhiteSpace(s[6]))
        {
            return false;
        }
        s = s[6..];
        while (true)
        {
            s = s.TrimStart(" \t,");
            if (s.IsEmpty)
            {
                break;
            }
            int eq = s.IndexOf('=');
            if (eq <= 0)
            {
                return false;
            }
            var name = s[..eq].Trim();
            s = s[(eq + 1)..].TrimStart();
            ReadOnlySpan<char> raw;
            bool escaped = false;
            if (!s.IsEmpty && s[0] == '"')
            {
                int i = 1;
                for (; i < s.Length && s[i] != '"'; i++)
                {
                    if (s[i] == '\\' && i + 1 < s.Length)
                    {
                        escaped = true;
                        i++;
                    }
                }
                if (i >= s.Length)
                {
                    return false;
                }
                raw = s[1..i];
                s = s[(i + 1)..];
            }
            else
            {
                int comma = s.IndexOf(',');
                raw = (comma < 0 ? s : s[..comma]).Trim();
                s = comma < 0 ? [] : s[comma..];
            }
            credentials.Set(name, raw, escaped);
        }
        return credentials.Username is not null && credentials.Nonce is not null && credentials.Response is not null;
    }

    // Only the parameters the check uses are kept (a later duplicate wins, as before); others (opaque, …) are skipped.
    private void Set(ReadOnlySpan<char> name, ReadOnlySpan<char> raw, bool escaped)
    {
        if (name.Equals("username", StringComparison.OrdinalIgnoreCase)) { Username = Value(raw, escaped); }
        else if (name.Equals("realm", StringComparison.OrdinalIgnoreCase)) { Realm = Value(raw, escaped); }
        else if (name.Equals("nonce", StringComparison.OrdinalIgnoreCase)) { Nonce = Value(raw, escaped); }
        else if (name.Equals("uri", StringComparison.OrdinalIgnoreCase)) { Uri = Value(raw, escaped); }
        else if (name.Equals("response", StringComparison.OrdinalIgnoreCase)) { Response = Value(raw, escaped); }
        else if (name.Equals("algorithm", StringComparison.OrdinalIgnoreCase)) { Algorithm = Value(raw, escaped); }
        else if (name.Equals("qop", StringComparison.OrdinalIgnoreCase)) { Qop = Value(raw, escaped); }
        else if (name.Equals("nc", StringComparison.OrdinalIgnoreCase)) { Nc = Value(raw, escaped); }
        else if (name.Equals("cnonce", StringComparison.OrdinalIgnoreCase)) { CNonce = Value(raw, escaped); }
    }

    /// <summary>A quoted-string's content with quoted-pairs (RFC 3261 §25.1) resolved.</summary>
    private static string Value(ReadOnlySpan<char> raw, bool escaped)
    {
        if (!escaped)
        {
            return raw.ToString();
        }
        var sb = new StringBuilder(raw.Length);
        for (int i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '\\' && i + 1 < raw.Length)
            {
                i++;
            }
            sb.Append(raw[i]);
        }
        return sb.ToString();
    }
}
