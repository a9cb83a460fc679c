namespace VideoLink.Hub.Bookings;

/// <summary>What the scheduler asks for when an occurrence starts: a room with its main venue (主会场).</summary>
public sealed record MeetingRoomRequest(string Title, Guid OrganizerOrgUnitId, Guid MainVenueSiteId, bool Recording);

/// <summary>One site endpoint to bring into a meeting room.</summary>
public sealed record SiteDialTarget(Guid SiteId, Guid EndpointId, string DisplayName, string EndpointKind, string? SipUser, string MeetingTitle);

public enum SiteDialStatus
{
    /// <summary>The site answered and is in the room.</summary>
    Connected,

    /// <summary>An app (browser) endpoint: asked to join; it connects itself (WHIP), nothing was dialled.</summary>
    JoinPrompted,

    Busy,
    NoAnswer,
    Rejected,
    Unreachable,
}

public sealed record SiteDialResult(SiteDialStatus Status, string Detail)
{
    public bool Failed => Status is not (SiteDialStatus.Connected or SiteDialStatus.JoinPrompted);
}

/// <summary>
/// The seam between bookings and the conference engine: open a room, bring a site in, know whether it is still in,
/// close the room. Bookings only talk to this interface; the implementation is <see cref="ConferenceMeetingLauncher"/>
/// (a live conference room; SIP sites dialled in as legs; the main venue set when its site answers).
/// </summary>
public interface IMeetingLauncher
{
    /// <summary>Creates the meeting's room; returns its id.</summary>
    Task<Guid> OpenRoomAsync(MeetingRoomRequest request, CancellationToken cancellationToken);

    /// <summary>Brings one site endpoint into the room (SIP: dial out; app: join prompt). Never throws for a site that cannot be reached.</summary>
    Task<SiteDialResult> ConnectAsync(Guid roomId, SiteDialTarget target, CancellationToken cancellationToken);

    /// <summary>Whether the endpoint currently has a live leg in the room.</summary>
    bool IsConnected(Guid roomId, Guid endpointId);

    /// <summary>Hangs up every leg, closes the connected intervals (<c>room-ended</c>) and closes the room.</summary>
    Task CloseRoomAsync(Guid roomId, CancellationToken cancellationToken);
}
