using System.Globalization;
using System.Text;
using VideoLink.Sip.Messages;

namespace VideoLink.Sip.Parsing;

/// <summary>Message to bytes. Content-Length always reflects the body (RFC 3261 §20.14).</summary>
internal static class SipSerializer
{
    // Per thread, so the UDP receive loops serialise without allocating anything but the result.
    [ThreadStatic]
    private static byte[]? t_scratch;

    public static byte[] Serialize(SipMessage message)
    {
        var scratch = t_scratch ??= new byte[8192];
        var writer = new Utf8Writer(scratch);
        switch (message)
        {
            case SipRequest req:
                writer.Append(req.Method);
                writer.Append(' ');
                writer.Append(req.RequestUri.ToString());
                writer.Append(" SIP/2.0\r\n");
                break;
            case SipResponse res:
                writer.Append("SIP/2.0 ");
                writer.Append(res.StatusCode);
                writer.Append(' ');
                writer.Append(res.ReasonPhrase);
                writer.Append("\r\n");
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
            writer.Append(h.Key);
            writer.Append(": ");
            writer.Append(h.Value);
            writer.Append("\r\n");
        }
        writer.Append("Content-Length: ");
        writer.Append(message.Body.Length);
        writer.Append("\r\n\r\n");
        var head = writer.Written;
        var bytes = GC.AllocateUninitializedArray<byte>(head.Length + message.Body.Length);
        head.CopyTo(bytes);
        message.Body.Span.CopyTo(bytes.AsSpan(head.Length));
        if (writer.Buffer != scratch && writer.Buffer.Length <= 64 * 1024)
        {
            t_scratch = writer.Buffer; // grew: keep the bigger one
        }
        return bytes;
    }

    public static string ToText(SipMessage message) => Encoding.UTF8.GetString(Serialize(message));

    /// <summary>Appends UTF-8 into a buffer that doubles when full.</summary>
    private ref struct Utf8Writer(byte[] buffer)
    {
        private int _length;

        public byte[] Buffer { get; private set; } = buffer;

        public readonly ReadOnlySpan<byte> Written => Buffer.AsSpan(0, _length);

        public void Append(char c)
        {
            Ensure(1);
            Buffer[_length++] = (byte)c; // only ASCII separators are appended one by one
        }

        public void Append(string s)
        {
            Ensure(Encoding.UTF8.GetMaxByteCount(s.Length));
            _length += Encoding.UTF8.GetBytes(s, Buffer.AsSpan(_length));
        }

        public void Append(int value)
        {
            Ensure(11);
            value.TryFormat(Buffer.AsSpan(_length), out int written, provider: CultureInfo.InvariantCulture);
            _length += written;
        }

        private void Ensure(int more)
        {
            if (_length + more <= Buffer.Length)
            {
                return;
            }
            var bigger = new byte[Math.Max(Buffer.Length * 2, _length + more)];
            Buffer.AsSpan(0, _length).CopyTo(bigger);
            Buffer = bigger;
        }
    }
}
