using VideoLink.Sip.Media;

namespace VideoLink.Sip;

/// <summary>An authenticated INVITE that may be addressed to a conference room (dial-in).</summary>
/// <param name="Number">The Request-URI user part before any <c>*</c> (e.g. the room's six-digit number).</param>
/// <param name="Pin">What followed the first <c>*</c> in the user part (<c>sip:912345*2468@hub</c>), or null.</param>
/// <param name="CallerUser">The authenticated account that calls.</param>
/// <param name="CallerDisplayName">The From display name, when given.</param>
public sealed record SipConferenceInvite(string Number, string? Pin, string CallerUser, string? CallerDisplayName);

/// <summary>What the conference door says about a dial-in.</summary>
public enum SipConferenceAdmission
{
    /// <summary>Not a conference number: the INVITE goes on as a normal call (directory user, echo…).</summary>
    NotAConference,

    /// <summary>Answer the call and hand it to <see cref="ISipConferenceDoor.OnJoined"/>.</summary>
    Admit,

    /// <summary>A conference, but the PIN is missing or wrong (403).</summary>
    WrongPin,

    /// <summary>A conference that is locked (403) — nobody new may join.</summary>
    Locked,
}

/// <summary>A dial-in call the hub answered for a conference: its Call-ID and anchored streams.</summary>
public sealed class SipConferenceCall
{
    internal SipConferenceCall(string callId, SipConferenceInvite invite, IReadOnlyList<IAnchoredStream> streams)
    {
        CallId = callId;
        Invite = invite;
        Streams = streams;
    }

    public string CallId { get; }

    public SipConferenceInvite Invite { get; }

    /// <summary>Audio and video as accepted; <see cref="IRtpPacketPort"/> on each gives packet access.</summary>
    public IReadOnlyList<IAnchoredStream> Streams { get; }
}

/// <summary>
/// The hub's conference engine, seen from the SIP stack: asked about every authenticated INVITE before the
/// directory (a room number is not an account), told about every dial-in it admitted. The call ends through
/// <see cref="SipServer.HangUpAsync"/> or the phone's BYE / session timer (<see cref="SipServer.CallEnded"/>).
/// </summary>
public interface ISipConferenceDoor
{
    ValueTask<SipConferenceAdmission> AdmitAsync(SipConferenceInvite invite, CancellationToken cancellationToken);

    /// <summary>The call is answered (200 sent); its media is anchored and nothing flows until the engine attaches.</summary>
    void OnJoined(SipConferenceCall call);
}

/// <summary>A phone asked for a keyframe (INFO picture_fast_update, RFC 5168) on a conference or dialled call.</summary>
public sealed class SipKeyFrameRequestEventArgs(string callId) : EventArgs
{
    public string CallId { get; } = callId;
}
