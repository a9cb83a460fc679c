using System.Text;

namespace VideoLink.Sip.Messages;

/// <summary>name-addr / addr-spec with header parameters (From, To, Contact, Route; RFC 3261 §20.10, §20.20).</summary>
internal sealed class NameAddress
{
    public string? DisplayName { get; init; }
    public required SipUri Uri { get; init; }
    public List<KeyValuePair<string, string?>> Parameters { get; init; } = [];
    /// <summary>Contact: * (RFC 3261 §10.2.2).</summary>
    public bool IsWildcard { get; init; }

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

    public string? Tag => GetParameter("tag");

    public NameAddress WithParameter(string name, string? value)
    {
        var list = new List<KeyValuePair<string, string?>>(Parameters.Count + 1);
        foreach (var p in Parameters)
        {
            if (!string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                list.Add(p);
            }
        }
        list.Add(new(name, value));
        return new NameAddress { DisplayName = DisplayName, Uri = Uri, Parameters = list };
    }

    public static bool TryParse(string text, out NameAddress value)
    {
        value = null!;
        ReadOnlySpan<char> s = text.AsSpan().Trim();
        if (s.SequenceEqual("*"))
        {
            value = new NameAddress { Uri = new SipUri { Opaque = "*", Scheme = "*" }, IsWildcard = true };
            return true;
        }
        string? display = null;
        string uriText;
        ReadOnlySpan<char> rest;
        int lt = SipGrammar.FindUnquoted(s, '<');
        bool quotedStart = !s.IsEmpty && s[0] == '"';
        if (quotedStart || s.IndexOf('<') >= 0)
        {
            // name-addr: [display-name] LAQUOT addr-spec RAQUOT
            int open = -1;
            if (quotedStart)
            {
                int endQuote = FindClosingQuote(s);
                if (endQuote < 0)
                {
                    return false;
                }
                display = SipGrammar.Unquote(s[..(endQuote + 1)].ToString());
                var after = s[(endQuote + 1)..].TrimStart();
                if (after.IsEmpty || after[0] != '<')
                {
                    return false;
                }
                open = s.Length - after.Length;
            }
            else
            {
                open = lt >= 0 ? lt : s.IndexOf('<');
                var dn = s[..open].Trim();
                display = dn.IsEmpty ? null : dn.ToString();
            }
            int close = s[open..].IndexOf('>');
            if (close < 0)
            {
                return false;
            }
            close += open;
            uriText = s[(open + 1)..close].ToString();
            rest = s[(close + 1)..];
        }
        else
        {
            // addr-spec: parameters after ';' belong to the header, not the URI (RFC 3261 §20.10).
            int semi = s.IndexOf(';');
            uriText = (semi < 0 ? s : s[..semi]).Trim().ToString();
            rest = semi < 0 ? [] : s[semi..];
        }
        if (!SipUri.TryParse(uriText, out var uri))
        {
            return false;
        }
        var parameters = new List<KeyValuePair<string, string?>>();
        if (!rest.Trim().IsEmpty && !SipGrammar.TryParseParameters(rest, parameters))
        {
            return false;
        }
        value = new NameAddress { DisplayName = display, Uri = uri, Parameters = parameters };
        return true;
    }

    private static int FindClosingQuote(ReadOnlySpan<char> s)
    {
        for (int i = 1; i < s.Length; i++)
        {
            if (s[i] == '\\')
            {
                i++;
            }
            else if (s[i] == '"')
            {
                return i;
            }
        }
        return -1;
    }

    public override string ToString()
    {
        if (IsWildcard)
        {
            return "*";
        }
        var sb = new StringBuilder(80);
        if (DisplayName is not null)
        {
            sb.Append(SipGrammar.Quote(DisplayName)).Append(' ');
        }
        sb.Append('<').Append(Uri.ToString()).Append('>');
        foreach (var p in Parameters)
        {
            sb.Append(';').Append(p.Key);
            if (p.Value is not null)
            {
                sb.Append('=').Append(p.Value);
            }
        }
        return sb.ToString();
    }
}
