using VideoLink.Sip.Messages;

namespace VideoLink.Sip.Parsing;

/// <summary>How the bytes are delimited: one datagram / WebSocket message, or a byte stream (TCP, TLS).</summary>
internal enum SipFraming
{
    Datagram,
    Stream,
}

internal enum SipParseStatus
{
    Complete,
    /// <summary>Stream framing only: the message is not complete yet.</summary>
    NeedMoreData,
    /// <summary>Only CRLFs: a keep-alive ping (RFC 5626 §3.5.1) or stray line ends.</summary>
    KeepAlive,
    Invalid,
}

internal enum SipParseError
{
    None,
    MessageTooLarge,
    HeadersNotTerminated,
    BadStartLine,
    UnsupportedVersion,
    BadRequestUri,
    BadHeaderLine,
    HeaderTooLarge,
    MissingRequiredHeader,
    BadVia,
    BadFrom,
    BadTo,
    BadCSeq,
    CSeqMethodMismatch,
    BadMaxForwards,
    BadContentLength,
    BodyTruncated,
}

/// <summary>
/// Result of one parse step. On <see cref="SipParseStatus.Invalid"/>, <see cref="Consumed"/> &gt; 0 means the
/// framing held (a stream can continue after it) and <see cref="Partial"/> may carry enough to answer 400.
/// </summary>
internal readonly record struct SipParseResult(
    SipParseStatus Status,
    SipMessage? Message,
    int Consumed,
    SipParseError Error = SipParseError.None,
    string? Detail = null,
    SipRequest? Partial = null);
