using System.Globalization;
using System.Text;
using VideoLink.Sip.Messages;

namespace VideoLink.Sip.Parsing;

/// <summary>Message to bytes. Content-Length always reflects the body (RFC 3261 §20.14).</summary>
internal static class SipSerializer
{
    public static byte[] Serialize(SipMessage message)
    {
        var sb = new StringBuilder(512);
        switch (message)
        {
            case SipRequest req:
                sb.Append(req.Method).Append(' ').Append(req.RequestUri.ToString()).Append(" SIP/2.0\r\n");
                break;
            case SipResponse res:
                sb.Append("SIP/2.0 ").Append(res.StatusCode.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(res.ReasonPhrase).Append("\r\n");
                break;
            default:
                throw new ArgumentException("Unknown message type", nameof(message));
        }
        foreach (var h in message.Headers)
        {
            if (ReferenceEquals(h.Key, SipHeaderNames.ContentLength) || string.Equals(h.Key, SipHeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            sb.Append(h.Key).Append(": ").Append(h.Value).Append("\r\n");
        }
        sb.Append("Content-Length: ").Append(message.Body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n\r\n");
        int headLength = Encoding.UTF8.GetByteCount(sb.ToString());
        var bytes = new byte[headLength + message.Body.Length];
        Encoding.UTF8.GetBytes(sb.ToString(), bytes);
        message.Body.Span.CopyTo(bytes.AsSpan(headLength));
        return bytes;
    }

    public static string ToText(SipMessage message) => Encoding.UTF8.GetString(Serialize(message));
}
