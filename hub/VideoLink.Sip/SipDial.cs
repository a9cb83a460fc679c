using VideoLink.Sip.Media;

namespace VideoLink.Sip;

/// <summary>A call the hub places itself (dial-out), e.g. a meeting calling a site at booking start.</summary>
/// <param name="Target">A registered account's user name (<c>"room12"</c>) or a SIP URI on the hub's own domain
/// (<c>"sip:room12@hub.district.local"</c>). Other domains are refused: the hub never relays.</param>
public sealed record SipDialRequest(string Target)
{
    /// <summary>Display name the called phone shows (From header), e.g. the meeting title.</summary>
    public string? CallerDisplayName { get; init; }

    /// <summary>User part of the From URI (<c>sip:&lt;user&gt;@domain</c>); default <c>"hub"</c>.</summary>
    public string? CallerUser { get; init; }

    /// <summary>How long the phones may ring before the hub cancels (→ <see cref="SipDialStatus.NoAnswer"/>); default 30 s.</summary>
    public TimeSpan RingTimeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>How a dial-out ended up.</summary>
public enum SipDialStatus
{
    /// <summary>A contact answered; the call is up (see <see cref="SipDialOutcome.CallId"/>).</summary>
    Answered,

    /// <summary>486 Busy Here or 600 Busy Everywhere.</summary>
    Busy,

    /// <summary>Rang until the ring timeout (the hub sent CANCEL), or the phone answered 408/480.</summary>
    NoAnswer,

    /// <summary>Refused with a final status (403 foreign domain, 404 unknown account, 488, 603, 5xx, …).</summary>
    Rejected,

    /// <summary>Account not registered (480) or no contact responded at all (408, transaction timeout).</summary>
    Unreachable,
}

/// <summary>The result of <see cref="SipServer.DialAsync"/>.</summary>
public sealed class SipDialOutcome
{
    internal SipDialOutcome(SipDialStatus status, int statusCode, string reason, string? callId = null, string? contact = null,
        IReadOnlyList<IAnchoredStream>? streams = null)
    {
        Status = status;
        StatusCode = statusCode;
        Reason = reason;
        CallId = callId;
        Contact = contact;
        Streams = streams ?? [];
    }

    public SipDialStatus Status { get; }

    /// <summary>The SIP status that decided the outcome (200 when answered).</summary>
    public int StatusCode { get; }

    /// <summary>Human-readable reason for logs.</summary>
    public string Reason { get; }

    /// <summary>The SIP Call-ID of the answered leg; pass it to <see cref="SipServer.HangUpAsync"/>. Null unless answered.</summary>
    public string? CallId { get; }

    /// <summary>The registered contact that answered.</summary>
    public string? Contact { get; }

    /// <summary>The anchored media streams of the answered leg (audio, video as accepted), ready for
    /// <see cref="IMediaAnchor.Connect"/>. Released by the SIP layer when the call ends.</summary>
    public IReadOnlyList<IAnchoredStream> Streams { get; }

    public bool IsAnswered => Status == SipDialStatus.Answered;

    public override string ToString() => $"{Status} {StatusCode} {Reason}" + (CallId is null ? "" : " " + CallId);
}

/// <summary>A dialled-out call ended (after it was answered).</summary>
public sealed class SipCallEndedEventArgs(string callId, string reason, bool byRemote) : EventArgs
{
    public string CallId { get; } = callId;

    public string Reason { get; } = reason;

    /// <summary>True when the phone hung up (BYE) or stopped answering; false for <see cref="SipServer.HangUpAsync"/> or shutdown.</summary>
    public bool ByRemote { get; } = byRemote;
}
