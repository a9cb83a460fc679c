using System.Globalization;
using System.Text;

namespace VideoLink.Sip.Messages;

/// <summary>A SIP or SIPS URI (RFC 3261 §19.1). Other schemes are kept opaque.</summary>
internal sealed class SipUri
{
    public string Scheme { get; init; } = "sip";
    public string? User { get; init; }
    public string? Password { get; init; }
    public string Host { get; init; } = "";
    /// <summary>0 when absent.</summary>
    public int Port { get; init; }
    /// <summary>URI parameters in order; a flag parameter has a null value.</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> Parameters { get; init; } = [];
    public string? Headers { get; init; }
    /// <summary>The original text for non-SIP schemes (tel:, urn:).</summary>
    public string? Opaque { get; init; }

    public bool IsSip => Opaque is null;

    public string? GetParameter(string name)
    {
        foreach (var p in Parameters)
        {
            if (string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return p.Value ?? "";
            }
        }
        return null;
    }

    public string? Transport => GetParameter("transport");

    public static bool TryParse(string text, out SipUri uri)
    {
        uri = null!;
        if (string.IsNullOrEmpty(text) || text.Length > 4096)
        {
            return false;
        }
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }
        string scheme = text[..colon];
        foreach (char c in scheme)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '+' and not '-' and not '.')
            {
                return false;
            }
        }
        if (!scheme.Equals("sip", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("sips", StringComparison.OrdinalIgnoreCase))
        {
            if (text.AsSpan(colon + 1).ContainsAny(" \t\r\n<>\""))
            {
                return false;
            }
            uri = new SipUri { Scheme = scheme.ToLowerInvariant(), Opaque = text };
            return true;
        }

        ReadOnlySpan<char> rest = text.AsSpan(colon + 1);
        if (rest.ContainsAny(" \t\r\n<>\""))
        {
            return false;
        }
        string? headers = null;
        int q = rest.IndexOf('?');
        if (q >= 0)
        {
            headers = rest[(q + 1)..].ToString();
            rest = rest[..q];
        }
        string? user = null, password = null;
        int at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = rest[..at];
            rest = rest[(at + 1)..];
            int pc = userInfo.IndexOf(':');
            if (pc >= 0)
            {
                password = Uri.UnescapeDataString(userInfo[(pc + 1)..].ToString());
                userInfo = userInfo[..pc];
            }
            if (userInfo.IsEmpty)
            {
                return false;
            }
            user = Uri.UnescapeDataString(userInfo.ToString());
        }
        var parameters = new List<KeyValuePair<string, string?>>();
        int semi = rest.IndexOf(';');
        if (semi >= 0)
        {
            if (!SipGrammar.TryParseParameters(rest[semi..], parameters))
            {
                return false;
            }
            rest = rest[..semi];
        }
        if (!SipGrammar.TryParseHostPort(rest, out string host, out int port))
        {
            return false;
        }
        uri = new SipUri
        {
            Scheme = scheme.ToLowerInvariant(),
            User = user,
            Password = password,
            Host = host,
            Port = port,
            Parameters = parameters,
            Headers = headers,
        };
        return true;
    }

    public static SipUri Parse(string text) =>
        TryParse(text, out var uri) ? uri : throw new FormatException("Invalid SIP URI: " + text);

    /// <summary>Address-of-record form: scheme:user@host, lower-cased host (RFC 3261 §10.3 step 5).</summary>
    public string ToAor() => IsSip ? $"{Scheme}:{User}@{Host.ToLowerInvariant()}" : Opaque!;

    public override string ToString()
    {
        if (Opaque is not null)
        {
            return Opaque;
        }
        var sb = new StringBuilder(64);
        sb.Append(Scheme).Append(':');
        if (User is not null)
        {
            sb.Append(SipGrammar.EscapeUser(User));
            if (Password is not null)
            {
                sb.Append(':').Append(Password);
            }
            sb.Append('@');
        }
        sb.Append(Host);
        if (Port > 0)
        {
            sb.Append(':').Append(Port.ToString(CultureInfo.InvariantCulture));
        }
        foreach (var p in Parameters)
        {
            sb.Append(';').Append(p.Key);
            if (p.Value is not null)
            {
                sb.Append('=').Append(p.Value);
            }
        }
        if (Headers is not null)
        {
            sb.Append('?').Append(Headers);
        }
        return sb.ToString();
    }
}
