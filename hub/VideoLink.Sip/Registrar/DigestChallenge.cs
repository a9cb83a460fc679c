using System.Text;

namespace VideoLink.Sip.Registrar;

/// <summary>Parsed <c>Authorization</c>/<c>Proxy-Authorization</c> digest credentials (RFC 3261 §22.4, RFC 7616 §3.4).</summary>
internal sealed class DigestCredentials
{
    public Dictionary<string, string> Values { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string? this[string name] => Values.TryGetValue(name, out string? v) ? v : null;
    public string? Username => this["username"];
    public string? Realm => this["realm"];
    public string? Nonce => this["nonce"];
    public string? Uri => this["uri"];
    public string? Response => this["response"];
    public string Algorithm => this["algorithm"] ?? "MD5";
    public string? Qop => this["qop"];
    public string? Nc => this["nc"];
    public string? CNonce => this["cnonce"];

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
            string name = s[..eq].Trim().ToString();
            s = s[(eq + 1)..].TrimStart();
            string value;
            if (!s.IsEmpty && s[0] == '"')
            {
                var sb = new StringBuilder();
                int i = 1;
                for (; i < s.Length && s[i] != '"'; i++)
                {
                    if (s[i] == '\\' && i + 1 < s.Length)
                    {
                        i++;
                    }
                    sb.Append(s[i]);
                }
                if (i >= s.Length)
                {
                    return false;
                }
                value = sb.ToString();
                s = s[(i + 1)..];
            }
            else
            {
                int comma = s.IndexOf(',');
                value = (comma < 0 ? s : s[..comma]).Trim().ToString();
                s = comma < 0 ? [] : s[comma..];
            }
            credentials.Values[name] = value;
        }
        return credentials.Username is not null && credentials.Nonce is not null && credentials.Response is not null;
    }
}
