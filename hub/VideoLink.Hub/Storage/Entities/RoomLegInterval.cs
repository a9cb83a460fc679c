namespace VideoLink.Hub.Storage.Entities;

/// <summary>
/// One connected interval of one leg in a room: written when the leg joins, closed when it leaves.
/// A reconnect is a new interval. Attendance and reports are computed from these rows.
/// <see cref="OrgPath"/> is the room's org path, so the org-tree rule applies as it does to the room.
/// </summary>
public sealed class RoomLegInterval : IOrgScoped
{
    public Guid Id { get; set; }
    public Guid RoomId { get; set; }
    public Guid LegId { get; set; }

    /// <summary><c>WebRtc</c> or <c>Sip</c>.</summary>
    public required string LegKind { get; set; }

    public Guid? EndpointId { get; set; }
    public Guid? SiteId { get; set; }
    public required string DisplayName { get; set; }
    public DateTime JoinedUtc { get; set; }
    public DateTime? LeftUtc { get; set; }

    /// <summary>Why the interval ended: <c>hangup</c>, <c>kicked</c>, <c>timeout</c>, <c>room-ended</c>, <c>hub-restart</c>, …</summary>
    public string? LeftReason { get; set; }

    public required string OrgPath { get; set; }
}
