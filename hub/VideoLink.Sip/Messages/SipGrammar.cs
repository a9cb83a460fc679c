using System.Globalization;
using System.Net;
using System.Text;

namespace VideoLink.Sip.Messages;

/// <summary>Small pieces of RFC 3261 §25 grammar shared by the header types.</summary>
internal static class SipGrammar
{
    public static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '!' or '%' or '*' or '_' or '+' or '`' or '\'' or '~';

    public static bool IsToken(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty)
        {
            return false;
        }
        foreach (char c in s)
        {
            if (!IsTokenChar(c))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Parses <c>;a=b;c</c> (leading semicolon included). Quoted values keep their quotes.</summary>
    public static bool TryParseParameters(ReadOnlySpan<char> s, List<KeyValuePair<string, string?>> into)
    {
        s = s.Trim();
        while (!s.IsEmpty)
        {
            if (s[0] != ';')
            {
                return false;
            }
            s = s[1..].TrimStart();
            int end = FindUnquoted(s, ';');
            var item = end < 0 ? s : s[..end];
            s = end < 0 ? [] : s[end..];
            int eq = item.IndexOf('=');
            var name = (eq < 0 ? item : item[..eq]).Trim();
            if (!IsToken(name) && !(name.Length > 0 && IsUriParamName(name)))
            {
                return false;
            }
            string? value = eq < 0 ? null : item[(eq + 1)..].Trim().ToString();
            if (value is { Length: 0 })
            {
                return false;
            }
            into.Add(new(name.ToString(), value));
        }
        return true;
    }

    private static bool IsUriParamName(ReadOnlySpan<char> s)
    {
        foreach (char c in s)
        {
            if (!(IsTokenChar(c) || c is '[' or ']' or '/' or ':' or '&' or '$'))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Index of <paramref name="ch"/> outside double quotes and angle brackets, or -1.</summary>
    public static int FindUnquoted(ReadOnlySpan<char> s, char ch)
    {
        bool quoted = false;
        int angle = 0;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (quoted)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                continue;
            }
            if (c == '"')
            {
                quoted = true;
            }
            else if (c == '<')
            {
                angle++;
            }
            else if (c == '>' && angle > 0)
            {
                angle--;
            }
            else if (c == ch && angle == 0)
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>Splits a header value at top-level commas (RFC 3261 §7.3.1).</summary>
    public static List<string> SplitCommas(string value)
    {
        var list = new List<string>(1);
        ReadOnlySpan<char> s = value;
        while (true)
        {
            int i = FindUnquoted(s, ',');
            var part = (i < 0 ? s : s[..i]).Trim();
            if (!part.IsEmpty)
            {
                list.Add(part.ToString());
            }
            if (i < 0)
            {
                break;
            }
            s = s[(i + 1)..];
        }
        return list;
    }

    public static bool TryParseHostPort(ReadOnlySpan<char> s, out string host, out int port)
    {
        host = "";
        port = 0;
        s = s.Trim();
        if (s.IsEmpty)
        {
            return false;
        }
        ReadOnlySpan<char> portPart = [];
        if (s[0] == '[')
        {
            int close = s.IndexOf(']');
            if (close < 0 || !IPAddress.TryParse(s[1..close], out var v6) || v6.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                return false;
            }
            host = s[..(close + 1)].ToString();
            var after = s[(close + 1)..];
            if (!after.IsEmpty)
            {
                if (after[0] != ':')
                {
                    return false;
                }
                portPart = after[1..];
            }
        }
        else
        {
            int c = s.IndexOf(':');
            var h = c < 0 ? s : s[..c];
            if (c >= 0)
            {
                portPart = s[(c + 1)..];
                if (portPart.IsEmpty)
                {
                    return false;
                }
            }
            if (h.IsEmpty || h.Length > 255)
            {
                return false;
            }
            foreach (char ch in h)
            {
                if (!char.IsAsciiLetterOrDigit(ch) && ch is not '-' and not '.' and not '_')
                {
                    return false;
                }
            }
            host = h.ToString();
        }
        if (!portPart.IsEmpty)
        {
            if (!int.TryParse(portPart, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                return false;
            }
        }
        return true;
    }

    public static string Unquote(string s)
    {
        if (s.Length >= 2 && s[0] == '"' && s[^1] == '"')
        {
            var inner = s.AsSpan(1, s.Length - 2);
            if (inner.IndexOf('\\') < 0)
            {
                return inner.ToString();
            }
            var sb = new StringBuilder(inner.Length);
            for (int i = 0; i < inner.Length; i++)
            {
                if (inner[i] == '\\' && i + 1 < inner.Length)
                {
                    i++;
                }
                sb.Append(inner[i]);
            }
            return sb.ToString();
        }
        return s;
    }

    public static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    public static string EscapeUser(string user)
    {
        foreach (char c in user)
        {
            if (!IsUserChar(c))
            {
                var sb = new StringBuilder();
                foreach (byte b in Encoding.UTF8.GetBytes(user))
                {
                    char ch = (char)b;
                    if (b < 0x80 && IsUserChar(ch))
                    {
                        sb.Append(ch);
                    }
                    else
                    {
                        sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
                    }
                }
                return sb.ToString();
            }
        }
        return user;
    }

    private static bool IsUserChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '!' or '~' or '*' or '\'' or '(' or ')' or '&' or '=' or '+' or '$' or ',' or ';' or '?' or '/';

    public static string NewToken(int bytes = 8)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytes, 64);
        Span<byte> random = stackalloc byte[bytes];
        System.Security.Cryptography.RandomNumberGenerator.Fill(random);
        return Convert.ToHexStringLower(random);
    }
}
