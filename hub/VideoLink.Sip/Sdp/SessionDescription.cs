using System.Globalization;
using System.Text;

namespace VideoLink.Sip.Sdp;

/// <summary>Media direction attribute (RFC 4566 §6, RFC 3264 §6.1).</summary>
internal enum MediaDirection
{
    SendRecv,
    SendOnly,
    RecvOnly,
    Inactive,
}

/// <summary>a=rtpmap payload mapping (RFC 4566 §6).</summary>
internal sealed record RtpMap(int PayloadType, string Encoding, int ClockRate, int Channels = 1);

/// <summary>An SDP session (RFC 4566 §5). Unknown lines are kept as attributes or dropped, never fatal.</summary>
internal sealed class SessionDescription
{
    public int Version { get; set; }
    public string OriginUser { get; set; } = "-";
    public ulong SessionId { get; set; }
    public ulong SessionVersion { get; set; }
    public string OriginAddressType { get; set; } = "IP4";
    public string OriginAddress { get; set; } = "0.0.0.0";
    public string SessionName { get; set; } = "-";
    /// <summary>Session-level c= address, if any.</summary>
    public string? ConnectionAddress { get; set; }
    public string ConnectionAddressType { get; set; } = "IP4";
    public string Timing { get; set; } = "0 0";
    public List<KeyValuePair<string, string?>> Attributes { get; } = [];
    public List<string> Bandwidths { get; } = [];
    public List<MediaDescription> Media { get; } = [];

    public MediaDirection Direction => SdpAttributes.ReadDirection(Attributes) ?? MediaDirection.SendRecv;

    public override string ToString()
    {
        var sb = new StringBuilder(512);
        sb.Append("v=").Append(Version.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        sb.Append("o=").Append(OriginUser).Append(' ').Append(SessionId.ToString(CultureInfo.InvariantCulture)).Append(' ')
            .Append(SessionVersion.ToString(CultureInfo.InvariantCulture)).Append(" IN ").Append(OriginAddressType).Append(' ')
            .Append(OriginAddress).Append("\r\n");
        sb.Append("s=").Append(SessionName).Append("\r\n");
        if (ConnectionAddress is not null)
        {
            sb.Append("c=IN ").Append(ConnectionAddressType).Append(' ').Append(ConnectionAddress).Append("\r\n");
        }
        foreach (string b in Bandwidths)
        {
            sb.Append("b=").Append(b).Append("\r\n");
        }
        sb.Append("t=").Append(Timing).Append("\r\n");
        SdpAttributes.Write(sb, Attributes);
        foreach (var m in Media)
        {
            m.Write(sb);
        }
        return sb.ToString();
    }
}

/// <summary>One m= section (RFC 4566 §5.14).</summary>
internal sealed class MediaDescription
{
    public string Media { get; set; } = "audio";
    public int Port { get; set; }
    public int PortCount { get; set; } = 1;
    public string Protocol { get; set; } = "RTP/AVP";
    public List<string> Formats { get; } = [];
    public string? ConnectionAddress { get; set; }
    public string ConnectionAddressType { get; set; } = "IP4";
    public List<string> Bandwidths { get; } = [];
    public List<KeyValuePair<string, string?>> Attributes { get; } = [];

    public bool IsRejected => Port == 0;

    public MediaDirection? Direction
    {
        get => SdpAttributes.ReadDirection(Attributes);
        set
        {
            Attributes.RemoveAll(a => SdpAttributes.ParseDirection(a.Key) is not null);
            if (value is { } d)
            {
                Attributes.Add(new(SdpAttributes.DirectionName(d), null));
            }
        }
    }

    public bool RtcpMux => HasAttribute("rtcp-mux");

    /// <summary>a=rtcp port (RFC 3605); null when absent.</summary>
    public int? RtcpPort
    {
        get
        {
            string? v = GetAttribute("rtcp");
            if (v is null)
            {
                return null;
            }
            int sp = v.IndexOf(' ', StringComparison.Ordinal);
            return int.TryParse(sp < 0 ? v : v[..sp], NumberStyles.None, CultureInfo.InvariantCulture, out int p) ? p : null;
        }
    }

    public bool HasAttribute(string name) => Attributes.Exists(a => string.Equals(a.Key, name, StringComparison.OrdinalIgnoreCase));

    public string? GetAttribute(string name)
    {
        foreach (var a in Attributes)
        {
            if (string.Equals(a.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return a.Value ?? "";
            }
        }
        return null;
    }

    public IEnumerable<RtpMap> RtpMaps()
    {
        foreach (var a in Attributes)
        {
            if (a.Key == "rtpmap" && a.Value is not null && TryParseRtpMap(a.Value, out var map))
            {
                yield return map;
            }
        }
    }

    /// <summary>The rtpmap for a format, including the static payload types of RFC 3551 §6.</summary>
    public RtpMap? GetRtpMap(int pt)
    {
        foreach (var m in RtpMaps())
        {
            if (m.PayloadType == pt)
            {
                return m;
            }
        }
        return pt switch
        {
            0 => new RtpMap(0, "PCMU", 8000),
            8 => new RtpMap(8, "PCMA", 8000),
            9 => new RtpMap(9, "G722", 8000),
            18 => new RtpMap(18, "G729", 8000),
            34 => new RtpMap(34, "H263", 90000),
            _ => null,
        };
    }

    public string? GetFmtp(int pt)
    {
        string prefix = pt.ToString(CultureInfo.InvariantCulture) + " ";
        foreach (var a in Attributes)
        {
            if (a.Key == "fmtp" && a.Value is not null && a.Value.StartsWith(prefix, StringComparison.Ordinal))
            {
                return a.Value[prefix.Length..].Trim();
            }
        }
        return null;
    }

    private static bool TryParseRtpMap(string v, out RtpMap map)
    {
        map = null!;
        int sp = v.IndexOf(' ', StringComparison.Ordinal);
        if (sp <= 0 || !int.TryParse(v.AsSpan(0, sp), NumberStyles.None, CultureInfo.InvariantCulture, out int pt) || pt > 127)
        {
            return false;
        }
        var parts = v[(sp + 1)..].Trim().Split('/');
        if (parts.Length < 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int clock))
        {
            return false;
        }
        int ch = 1;
        if (parts.Length > 2 && !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out ch))
        {
            return false;
        }
        map = new RtpMap(pt, parts[0], clock, ch);
        return true;
    }

    internal void Write(StringBuilder sb)
    {
        sb.Append("m=").Append(Media).Append(' ').Append(Port.ToString(CultureInfo.InvariantCulture));
        if (PortCount > 1)
        {
            sb.Append('/').Append(PortCount.ToString(CultureInfo.InvariantCulture));
        }
        sb.Append(' ').Append(Protocol);
        foreach (string f in Formats)
        {
            sb.Append(' ').Append(f);
        }
        sb.Append("\r\n");
        if (ConnectionAddress is not null)
        {
            sb.Append("c=IN ").Append(ConnectionAddressType).Append(' ').Append(ConnectionAddress).Append("\r\n");
        }
        foreach (string b in Bandwidths)
        {
            sb.Append("b=").Append(b).Append("\r\n");
        }
        SdpAttributes.Write(sb, Attributes);
    }
}

internal static class SdpAttributes
{
    public static MediaDirection? ParseDirection(string name) => name switch
    {
        "sendrecv" => MediaDirection.SendRecv,
        "sendonly" => MediaDirection.SendOnly,
        "recvonly" => MediaDirection.RecvOnly,
        "inactive" => MediaDirection.Inactive,
        _ => null,
    };

    public static string DirectionName(MediaDirection d) => d switch
    {
        MediaDirection.SendOnly => "sendonly",
        MediaDirection.RecvOnly => "recvonly",
        MediaDirection.Inactive => "inactive",
        _ => "sendrecv",
    };

    public static MediaDirection? ReadDirection(List<KeyValuePair<string, string?>> attributes)
    {
        foreach (var a in attributes)
        {
            if (a.Value is null && ParseDirection(a.Key) is { } d)
            {
                return d;
            }
        }
        return null;
    }

    public static void Write(StringBuilder sb, List<KeyValuePair<string, string?>> attributes)
    {
        foreach (var a in attributes)
        {
            sb.Append("a=").Append(a.Key);
            if (a.Value is not null)
            {
                sb.Append(':').Append(a.Value);
            }
            sb.Append("\r\n");
        }
    }
}
