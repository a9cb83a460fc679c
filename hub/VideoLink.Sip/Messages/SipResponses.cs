namespace VideoLink.Sip.Messages;

/// <summary>Builds responses from requests (RFC 3261 §8.2.6).</summary>
internal static class SipResponses
{
    public static string DefaultReason(int code) => code switch
    {
        100 => "Trying",
        180 => "Ringing",
        181 => "Call Is Being Forwarded",
        183 => "Session Progress",
        200 => "OK",
        202 => "Accepted",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        413 => "Request Entity Too Large",
        415 => "Unsupported Media Type",
        416 => "Unsupported URI Scheme",
        420 => "Bad Extension",
        422 => "Session Interval Too Small",
        423 => "Interval Too Brief",
        480 => "Temporarily Unavailable",
        481 => "Call/Transaction Does Not Exist",
        483 => "Too Many Hops",
        486 => "Busy Here",
        487 => "Request Terminated",
        488 => "Not Acceptable Here",
        491 => "Request Pending",
        500 => "Server Internal Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        505 => "Version Not Supported",
        603 => "Decline",
        _ => "Unknown",
    };

    /// <summary>
    /// Copies Via, From, To (adding <paramref name="toTag"/> when the request has none), Call-ID and CSeq
    /// (RFC 3261 §8.2.6.2). 100 Trying never gets a To tag.
    /// </summary>
    public static SipResponse Create(SipRequest request, int code, string? reason = null, string? toTag = null)
    {
        var response = new SipResponse { StatusCode = code, ReasonPhrase = reason ?? DefaultReason(code) };
        foreach (var h in request.Headers)
        {
            switch (h.Key)
            {
                case SipHeaderNames.Via:
                case SipHeaderNames.From:
                case SipHeaderNames.CallId:
                case SipHeaderNames.CSeq:
                    response.Headers.Add(h);
                    break;
                case SipHeaderNames.To:
                    string to = h.Value;
                    if (code > 100 && toTag is not null && request.To.Tag is null)
                    {
                        to = request.To.WithParameter("tag", toTag).ToString();
                    }
                    response.Headers.Add(new(SipHeaderNames.To, to));
                    break;
                case SipHeaderNames.RecordRoute when code is > 100 and < 300:
                    // §12.1.1: the UAS copies Record-Route into dialog-creating responses.
                    response.Headers.Add(h);
                    break;
                default:
                    break;
            }
        }
        return response;
    }
}
