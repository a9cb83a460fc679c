using System.Globalization;
using System.Text;

namespace VideoLink.Sip.Messages;

/// <summary>One Via value (RFC 3261 §20.42) with rport/received (RFC 3581).</summary>
internal sealed class ViaHeader
{
    /// <summary>The magic cookie that marks an RFC 3261 branch (§8.1.1.7).</summary>
    public const string BranchCookie = "z9hG4bK";

    public required string Transport { get; init; }
    public required string Host { get; init; }
    public int Port { get; init; }
    public List<KeyValuePair<string, string?>> Parameters { get; init; } = [];

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

    public void SetParameter(string name, string? value)
    {
        for (int i = 0; i < Parameters.Count; i++)
        {
            if (string.Equals(Parameters[i].Key, name, StringComparison.OrdinalIgnoreCase))
            {
                Parameters[i] = new(name, value);
                return;
            }
        }
        Parameters.Add(new(name, value));
    }

    public string? Branch => GetParameter("branch");
    public string? Received => GetParameter("received");
    public bool HasRport => GetParameter("rport") is not null;

    /// <summary>rport value once filled in by the server; 0 when empty or absent.</summary>
    public int RportValue => int.TryParse(GetParameter("rport"), NumberStyles.None, CultureInfo.InvariantCulture, out int p) ? p : 0;

    public string SentBy => Port > 0 ? $"{Host.ToLowerInvariant()}:{Port.ToString(CultureInfo.InvariantCulture)}" : Host.ToLowerInvariant();

    public static bool TryParse(string text, out ViaHeader via)
    {
        via = null!;
        ReadOnlySpan<char> s = text.AsSpan().Trim();
        // sent-protocol = "SIP" / "2.0" / transport, LWS allowed around the slashes.
        int slash1 = s.IndexOf('/');
        if (slash1 < 0 || !s[..slash1].Trim().Equals("SIP", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        s = s[(slash1 + 1)..];
        int slash2 = s.IndexOf('/');
        if (slash2 < 0 || !s[..slash2].Trim().SequenceEqual("2.0"))
        {
            return false;
        }
        s = s[(slash2 + 1)..].TrimStart();
        int sp = s.IndexOfAny(' ', '\t');
        if (sp <= 0)
        {
            return false;
        }
        var transport = s[..sp];
        if (!SipGrammar.IsToken(transport))
        {
            return false;
        }
        s = s[sp..].TrimStart();
        int semi = s.IndexOf(';');
        var hostPort = semi < 0 ? s : s[..semi];
        if (!SipGrammar.TryParseHostPort(hostPort, out string host, out int port))
        {
            return false;
        }
        var parameters = new List<KeyValuePair<string, string?>>();
        if (semi >= 0 && !SipGrammar.TryParseParameters(s[semi..], parameters))
        {
            return false;
        }
        via = new ViaHeader { Transport = transport.ToString().ToUpperInvariant(), Host = host, Port = port, Parameters = parameters };
        return true;
    }

    public override string ToString()
    {
        var sb = new StringBuilder(96);
        sb.Append("SIP/2.0/").Append(Transport).Append(' ').Append(Host);
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
        return sb.ToString();
    }
}
