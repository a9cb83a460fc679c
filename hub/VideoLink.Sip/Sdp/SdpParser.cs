using System.Globalization;
using System.Text;

namespace VideoLink.Sip.Sdp;

/// <summary>Parses SDP (RFC 4566 §5). Lenient about order and unknown types, strict about the lines it needs.</summary>
internal static class SdpParser
{
    public static bool TryParse(ReadOnlySpan<byte> bytes, out SessionDescription sdp, out string? error) =>
        TryParse(Encoding.UTF8.GetString(bytes), out sdp, out error);

    public static bool TryParse(string text, out SessionDescription sdp, out string? error)
    {
        sdp = new SessionDescription();
        error = null;
        MediaDescription? media = null;
        bool sawVersion = false, sawOrigin = false;
        foreach (var rawLine in text.Split('\n'))
        {
            string line = rawLine.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }
            if (line.Length < 2 || line[1] != '=')
            {
                error = "line is not type=value: " + line;
                return false;
            }
            char type = line[0];
            string value = line[2..];
            switch (type)
            {
                case 'v':
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int v) || v != 0)
                    {
                        error = "unsupported version";
                        return false;
                    }
                    sawVersion = true;
                    break;
                case 'o':
                    var o = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (o.Length != 6 || !ulong.TryParse(o[1], NumberStyles.None, CultureInfo.InvariantCulture, out ulong id)
                        || !ulong.TryParse(o[2], NumberStyles.None, CultureInfo.InvariantCulture, out ulong ver))
                    {
                        error = "bad o= line";
                        return false;
                    }
                    sdp.OriginUser = o[0];
                    sdp.SessionId = id;
                    sdp.SessionVersion = ver;
                    sdp.OriginAddressType = o[4];
                    sdp.OriginAddress = o[5];
                    sawOrigin = true;
                    break;
                case 's':
                    sdp.SessionName = value.Length == 0 ? "-" : value;
                    break;
                case 't':
                    sdp.Timing = value;
                    break;
                case 'c':
                    var c = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (c.Length != 3 || c[0] != "IN")
                    {
                        error = "bad c= line";
                        return false;
                    }
                    // Strip a multicast TTL suffix (RFC 4566 §5.7).
                    string addr = c[2].Split('/')[0];
                    if (media is null)
                    {
                        sdp.ConnectionAddressType = c[1];
                        sdp.ConnectionAddress = addr;
                    }
                    else
                    {
                        media.ConnectionAddressType = c[1];
                        media.ConnectionAddress = addr;
                    }
                    break;
                case 'b':
                    (media?.Bandwidths ?? sdp.Bandwidths).Add(value);
                    break;
                case 'a':
                    int colon = value.IndexOf(':', StringComparison.Ordinal);
                    var attr = colon < 0 ? new KeyValuePair<string, string?>(value, null) : new(value[..colon], value[(colon + 1)..]);
                    (media?.Attributes ?? sdp.Attributes).Add(attr);
                    break;
                case 'm':
                    var m = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (m.Length < 4)
                    {
                        error = "bad m= line";
                        return false;
                    }
                    media = new MediaDescription { Media = m[0], Protocol = m[2] };
                    var portText = m[1].Split('/');
                    if (!int.TryParse(portText[0], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
                    {
                        error = "bad m= port";
                        return false;
                    }
                    media.Port = port;
                    if (portText.Length > 1 && int.TryParse(portText[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count))
                    {
                        media.PortCount = count;
                    }
                    media.Formats.AddRange(m.AsSpan(3));
                    sdp.Media.Add(media);
                    break;
                default:
                    // i=, u=, e=, p=, z=, k=, r= carry nothing the hub needs.
                    break;
            }
        }
        if (!sawVersion || !sawOrigin)
        {
            error = "missing v= or o=";
            return false;
        }
        return true;
    }
}
