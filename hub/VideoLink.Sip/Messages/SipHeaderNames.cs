namespace VideoLink.Sip.Messages;

/// <summary>Canonical header names; compact forms per RFC 3261 §7.3.3 and §20.</summary>
internal static class SipHeaderNames
{
    public const string Via = "Via";
    public const string From = "From";
    public const string To = "To";
    public const string CallId = "Call-ID";
    public const string CSeq = "CSeq";
    public const string Contact = "Contact";
    public const string MaxForwards = "Max-Forwards";
    public const string ContentLength = "Content-Length";
    public const string ContentType = "Content-Type";
    public const string Expires = "Expires";
    public const string MinExpires = "Min-Expires";
    public const string Authorization = "Authorization";
    public const string ProxyAuthorization = "Proxy-Authorization";
    public const string WwwAuthenticate = "WWW-Authenticate";
    public const string ProxyAuthenticate = "Proxy-Authenticate";
    public const string Route = "Route";
    public const string RecordRoute = "Record-Route";
    public const string Supported = "Supported";
    public const string Require = "Require";
    public const string Unsupported = "Unsupported";
    public const string Allow = "Allow";
    public const string UserAgent = "User-Agent";
    public const string Server = "Server";
    public const string SessionExpires = "Session-Expires";
    public const string MinSE = "Min-SE";
    public const string ContentEncoding = "Content-Encoding";
    public const string Subject = "Subject";
    public const string Event = "Event";
    public const string ReferTo = "Refer-To";
    public const string RetryAfter = "Retry-After";
    public const string Accept = "Accept";
    public const string Reason = "Reason";
    public const string Date = "Date";

    /// <summary>Maps a header name from the wire (any case, compact or long) to its canonical form.</summary>
    public static string Canonical(ReadOnlySpan<char> name)
    {
        if (name.Length == 1)
        {
            switch (char.ToLowerInvariant(name[0]))
            {
                case 'i': return CallId;
                case 'm': return Contact;
                case 'f': return From;
                case 't': return To;
                case 'v': return Via;
                case 'l': return ContentLength;
                case 'c': return ContentType;
                case 'k': return Supported;
                case 's': return Subject;
                case 'e': return ContentEncoding;
                case 'o': return Event;
                case 'r': return ReferTo;
                case 'x': return SessionExpires;
                default: break;
            }
        }
        foreach (string known in Known)
        {
            if (name.Equals(known, StringComparison.OrdinalIgnoreCase))
            {
                return known;
            }
        }
        return name.ToString();
    }

    private static readonly string[] Known =
    [
        Via, From, To, CallId, CSeq, Contact, MaxForwards, ContentLength, ContentType, Expires, MinExpires,
        Authorization, ProxyAuthorization, WwwAuthenticate, ProxyAuthenticate, Route, RecordRoute, Supported,
        Require, Unsupported, Allow, UserAgent, Server, SessionExpires, MinSE, ContentEncoding, Subject, Event,
        ReferTo, RetryAfter, Accept, Reason, Date,
    ];

    /// <summary>Headers whose values may be comma-joined on one line (RFC 3261 §7.3.1). Not the auth headers.</summary>
    public static bool IsCommaList(string canonical) => canonical is Via or Contact or Route or RecordRoute or Supported
        or Require or Unsupported or Allow or Accept;
}
