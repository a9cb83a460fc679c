using System.Globalization;
using System.Text;
using VideoLink.Sip.Messages;

namespace VideoLink.Sip.Parsing;

/// <summary>
/// Bytes in, message out (RFC 3261 §7, §18.3). No sockets, no exceptions for bad input: every outcome is a
/// <see cref="SipParseResult"/>.
/// </summary>
internal static class SipParser
{
    public const int DefaultMaxMessageSize = 64 * 1024;

    /// <summary>No legitimate header line comes near this; a longer one is an attack or garbage (issue 4, item 7).</summary>
    public const int MaxHeaderLineLength = 8 * 1024;

    /// <summary>Upper bound on header lines per message, so a flood of tiny headers cannot cost quadratic work.</summary>
    public const int MaxHeaderCount = 256;

    private static ReadOnlySpan<byte> HeaderTerminator => "\r\n\r\n"u8;

    public static SipParseResult Parse(ReadOnlySpan<byte> input, SipFraming framing, int maxMessageSize = DefaultMaxMessageSize)
    {
        // §7.5: CRLFs before the start line are ignored; a message of only CRLFs is a keep-alive.
        int lead = 0;
        while (lead < input.Length && (input[lead] == '\r' || input[lead] == '\n'))
        {
            lead++;
        }
        if (lead == input.Length)
        {
            if (framing == SipFraming.Stream && lead == 0)
            {
                return new(SipParseStatus.NeedMoreData, null, 0);
            }
            return new(SipParseStatus.KeepAlive, null, lead);
        }
        if (framing == SipFraming.Stream && lead > 0)
        {
            // Let the transport answer "\r\n\r\n" pings one at a time before the next message.
            return new(SipParseStatus.KeepAlive, null, lead);
        }

        var data = input[lead..];
        int headerEnd = data.IndexOf(HeaderTerminator);
        if (headerEnd < 0)
        {
            if (data.Length >= maxMessageSize)
            {
                return Invalid(SipParseError.MessageTooLarge, 0, "headers exceed the maximum message size");
            }
            return framing == SipFraming.Stream
                ? new(SipParseStatus.NeedMoreData, null, 0)
                : Invalid(SipParseError.HeadersNotTerminated, 0, "no empty line after the headers");
        }
        if (headerEnd + 4 > maxMessageSize)
        {
            return Invalid(SipParseError.MessageTooLarge, 0, "headers exceed the maximum message size");
        }

        string head = Encoding.UTF8.GetString(data[..headerEnd]);
        var lines = new HeaderLineReader(head);
        if (!lines.TryNext(out var startLine))
        {
            return Invalid(SipParseError.BadStartLine, 0, "empty start line");
        }

        SipMessage message;
        var startError = ParseStartLine(startLine, out message!);
        if (startError != SipParseError.None)
        {
            return Invalid(startError, 0, "bad start line");
        }

        long? contentLength = null;
        int headerCount = 0;
        while (lines.TryNext(out var line))
        {
            if (line.Length > MaxHeaderLineLength || ++headerCount > MaxHeaderCount)
            {
                return Framed(message, SipParseError.HeaderTooLarge, "header line too long or too many headers", framing, input.Length);
            }
            int colon = line.IndexOf(':');
            if (colon <= 0)
            {
                return Framed(message, SipParseError.BadHeaderLine, "header line without a colon", framing, input.Length);
            }
            var name = line[..colon].TrimEnd(" \t");
            if (!SipGrammar.IsToken(name))
            {
                return Framed(message, SipParseError.BadHeaderLine, "bad header name", framing, input.Length);
            }
            string canonical = SipHeaderNames.Canonical(name);
            string value = line[(colon + 1)..].Trim(" \t").ToString();
            if (ReferenceEquals(canonical, SipHeaderNames.ContentLength))
            {
                if (value.Length is 0 or > 9 || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long cl)
                    || (contentLength is not null && contentLength != cl))
                {
                    return Invalid(SipParseError.BadContentLength, 0, "bad Content-Length", message as SipRequest);
                }
                contentLength = cl;
            }
            message.Headers.Add(new(canonical, value));
        }

        int bodyStart = headerEnd + 4;
        int available = data.Length - bodyStart;
        int bodyLength;
        if (framing == SipFraming.Stream)
        {
            // §18.3: Content-Length is mandatory on streams; a missing one is read as 0 to stay in sync.
            long cl = contentLength ?? 0;
            if (bodyStart + cl > maxMessageSize)
            {
                return Invalid(SipParseError.MessageTooLarge, 0, "body exceeds the maximum message size", message as SipRequest);
            }
            if (available < cl)
            {
                return new(SipParseStatus.NeedMoreData, null, 0);
            }
            bodyLength = (int)cl;
        }
        else
        {
            if (data.Length > maxMessageSize)
            {
                return Invalid(SipParseError.MessageTooLarge, 0, "datagram exceeds the maximum message size", message as SipRequest);
            }
            if (contentLength is { } cl)
            {
                if (cl > available)
                {
                    return Invalid(SipParseError.BodyTruncated, data.Length + lead, "body shorter than Content-Length", message as SipRequest);
                }
                // §18.3: extra bytes beyond Content-Length in a datagram are discarded.
                bodyLength = (int)cl;
            }
            else
            {
                bodyLength = available;
            }
        }
        if (bodyLength > 0)
        {
            message.Body = data.Slice(bodyStart, bodyLength).ToArray();
        }
        int consumed = lead + bodyStart + bodyLength;
        if (framing == SipFraming.Datagram)
        {
            consumed = input.Length;
        }

        var validation = Validate(message, out string? detail);
        if (validation != SipParseError.None)
        {
            message.InvalidateCache();
            return new(SipParseStatus.Invalid, null, consumed, validation, detail, message as SipRequest);
        }
        return new(SipParseStatus.Complete, message, consumed);
    }

    private static SipParseResult Invalid(SipParseError error, int consumed, string detail, SipRequest? partial = null) =>
        new(SipParseStatus.Invalid, null, consumed, error, detail, partial);

    /// <summary>
    /// A broken header line: a datagram is spent as a whole; on a stream the rest of the headers (and so the
    /// Content-Length) is unknown, so nothing counts as consumed and the connection is dropped.
    /// </summary>
    private static SipParseResult Framed(SipMessage message, SipParseError error, string detail, SipFraming framing, int datagramLength) =>
        Invalid(error, framing == SipFraming.Datagram ? datagramLength : 0, detail, message as SipRequest);

    private static SipParseError ParseStartLine(ReadOnlySpan<char> line, out SipMessage message)
    {
        message = null!;
        if (line.StartsWith("SIP/"))
        {
            // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase (§7.2)
            if (!line.StartsWith("SIP/2.0 "))
            {
                return SipParseError.UnsupportedVersion;
            }
            var rest = line[8..];
            if (rest.Length < 3 || !int.TryParse(rest[..3], NumberStyles.None, CultureInfo.InvariantCulture, out int code) || code is < 100 or > 699)
            {
                return SipParseError.BadStartLine;
            }
            if (rest.Length > 3 && rest[3] != ' ')
            {
                return SipParseError.BadStartLine;
            }
            string reason = rest.Length > 4 ? rest[4..].ToString() : "";
            message = new SipResponse { StatusCode = code, ReasonPhrase = reason };
            return SipParseError.None;
        }

        // Request-Line = Method SP Request-URI SP SIP-Version (§7.1): exactly single spaces.
        int sp1 = line.IndexOf(' ');
        if (sp1 <= 0)
        {
            return SipParseError.BadStartLine;
        }
        var method = line[..sp1];
        var after = line[(sp1 + 1)..];
        int sp2 = after.IndexOf(' ');
        if (sp2 <= 0 || !SipGrammar.IsToken(method))
        {
            return SipParseError.BadStartLine;
        }
        var uriText = after[..sp2];
        var version = after[(sp2 + 1)..];
        if (!version.SequenceEqual("SIP/2.0"))
        {
            return version.StartsWith("SIP/", StringComparison.OrdinalIgnoreCase) ? SipParseError.UnsupportedVersion : SipParseError.BadStartLine;
        }
        if (!SipUri.TryParse(uriText.ToString(), out var uri))
        {
            return SipParseError.BadRequestUri;
        }
        message = new SipRequest { Method = SipMethods.Intern(method), RequestUri = uri };
        return SipParseError.None;
    }

    private static SipParseError Validate(SipMessage m, out string? detail)
    {
        detail = null;
        // §8.1.1: To, From, CSeq, Call-ID, Max-Forwards (requests) and Via are mandatory.
        if (m.GetHeader(SipHeaderNames.Via) is null)
        {
            detail = "missing Via";
            return SipParseError.MissingRequiredHeader;
        }
        var viaValues = m.GetHeaderValues(SipHeaderNames.Via);
        var vias = new List<ViaHeader>(viaValues.Count);
        foreach (string v in viaValues)
        {
            if (!ViaHeader.TryParse(v, out var via))
            {
                detail = "bad Via";
                return SipParseError.BadVia;
            }
            vias.Add(via);
        }
        string? from = m.GetHeader(SipHeaderNames.From);
        string? to = m.GetHeader(SipHeaderNames.To);
        string? callId = m.GetHeader(SipHeaderNames.CallId);
        string? cseq = m.GetHeader(SipHeaderNames.CSeq);
        if (from is null || to is null || string.IsNullOrWhiteSpace(callId) || cseq is null)
        {
            detail = "missing From, To, Call-ID or CSeq";
            return SipParseError.MissingRequiredHeader;
        }
        if (!NameAddress.TryParse(from, out var fromAddress))
        {
            detail = "bad From";
            return SipParseError.BadFrom;
        }
        if (!NameAddress.TryParse(to, out var toAddress))
        {
            detail = "bad To";
            return SipParseError.BadTo;
        }
        if (!CSeqHeader.TryParse(cseq, out var cs))
        {
            detail = "bad CSeq";
            return SipParseError.BadCSeq;
        }
        if (m is SipRequest req)
        {
            if (cs.Method != req.Method)
            {
                detail = "CSeq method differs from the request method";
                return SipParseError.CSeqMethodMismatch;
            }
            string? mf = req.GetHeader(SipHeaderNames.MaxForwards);
            if (mf is not null && (mf.Length is 0 or > 3 || !int.TryParse(mf, NumberStyles.None, CultureInfo.InvariantCulture, out int mfv) || mfv > 255))
            {
                detail = "bad Max-Forwards";
                return SipParseError.BadMaxForwards;
            }
        }
        m.SetParsed(vias, fromAddress, toAddress, cs);
        return SipParseError.None;
    }

    /// <summary>
    /// Whether a 400 can be sent for a rejected request: it needs a usable top Via, From, To, Call-ID and CSeq
    /// to route and match the response (§8.2.6).
    /// </summary>
    public static bool CanAnswer(SipRequest? partial)
    {
        if (partial is null || partial.Method == SipMethods.Ack)
        {
            return false;
        }
        var vias = partial.GetHeaderValues(SipHeaderNames.Via);
        return vias.Count > 0 && ViaHeader.TryParse(vias[0], out _)
            && partial.GetHeader(SipHeaderNames.From) is not null
            && partial.GetHeader(SipHeaderNames.To) is { } to && NameAddress.TryParse(to, out _)
            && partial.GetHeader(SipHeaderNames.CallId) is not null
            && partial.GetHeader(SipHeaderNames.CSeq) is not null;
    }

    /// <summary>Splits the header block into logical lines, unfolding continuation lines (§7.3.1).</summary>
    private ref struct HeaderLineReader(string text)
    {
        private int _pos;
        private readonly string _text = text;

        public bool TryNext(out ReadOnlySpan<char> line)
        {
            line = default;
            if (_pos >= _text.Length)
            {
                return false;
            }
            int start = _pos;
            int end = NextLineEnd(start);
            _pos = end + 2;
            // Continuations start with SP or HT: join them with a single space.
            if (_pos < _text.Length && (_text[_pos] == ' ' || _text[_pos] == '\t'))
            {
                var sb = new StringBuilder(_text, start, end - start, 256);
                while (_pos < _text.Length && (_text[_pos] == ' ' || _text[_pos] == '\t'))
                {
                    int e = NextLineEnd(_pos);
                    sb.Append(' ').Append(_text.AsSpan(_pos, e - _pos).Trim(" \t"));
                    _pos = e + 2;
                }
                line = sb.ToString();
                return true;
            }
            line = _text.AsSpan(start, end - start);
            return true;
        }

        private readonly int NextLineEnd(int from)
        {
            int i = _text.IndexOf("\r\n", from, StringComparison.Ordinal);
            return i < 0 ? _text.Length : i;
        }
    }
}
