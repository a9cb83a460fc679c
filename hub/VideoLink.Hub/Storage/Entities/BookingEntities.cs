namespace VideoLink.Hub.Storage.Entities;

/// <summary>How a booked meeting starts (the launch modes of mature conference managers).</summary>
public enum LaunchMode
{
    /// <summary>The hub dials every site at the start.</summary>
    AutoConnect,

    /// <summary>Sites join with one touch on their console or kiosk; nothing is dialled.</summary>
    OneTouch,

    /// <summary>The chair dials the sites.</summary>
    Manual,

    /// <summary>Room and sites are reserved; nothing is dialled.</summary>
    Reservation,
}

/// <summary>
/// A booked meeting, possibly a series (RFC 5545 RRULE subset, see <c>Bookings/RecurrenceRule</c>). Times are stored in
/// UTC; <see cref="TimeZone"/> is the zone the series repeats in (wall-clock time stays fixed across DST changes).
/// <see cref="StartUtc"/>/<see cref="EndUtc"/> are the first occurrence. <see cref="OrgPath"/> is the organiser's.
/// </summary>
public sealed class Booking : IOrgScoped
{
    public Guid Id { get; set; }
    public required string Title { get; set; }
    public Guid OrganizerOrgUnitId { get; set; }
    public Guid MainVenueSiteId { get; set; }
    public DateTime StartUtc { get; set; }
    public DateTime EndUtc { get; set; }
    public required string TimeZone { get; set; }
    public string? Recurrence { get; set; }

    /// <summary>End of the last occurrence, or null for a series without COUNT/UNTIL.</summary>
    public DateTime? SeriesEndUtc { get; set; }

    public LaunchMode LaunchMode { get; set; }
    public bool Recording { get; set; }
    public int PrepareMinutes { get; set; }
    public Guid? CreatedByUserId { get; set; }
    public DateTime CreatedUtc { get; set; }
    public DateTime? CancelledUtc { get; set; }

    /// <summary>iCalendar SEQUENCE (RFC 5545 §3.8.7.4): bumped on every change.</summary>
    public int Sequence { get; set; }

    public required string OrgPath { get; set; }
    public List<BookingSite> Sites { get; set; } = [];
    public List<BookingOccurrenceChange> Changes { get; set; } = [];
}

/// <summary>A site taking part in a booking.</summary>
public sealed class BookingSite
{
    public Guid BookingId { get; set; }
    public Guid SiteId { get; set; }
}

/// <summary>One occurrence of a series moved or cancelled (the RECURRENCE-ID exceptions of RFC 5545).</summary>
public sealed class BookingOccurrenceChange
{
    public Guid Id { get; set; }
    public Guid BookingId { get; set; }
    public DateTime OriginalStartUtc { get; set; }
    public DateTime? StartUtc { get; set; }
    public DateTime? EndUtc { get; set; }
    public bool Cancelled { get; set; }
}

/// <summary>What happened to one occurrence when it ran: preparation, launch (its room), warning, end.</summary>
public sealed class MeetingRun : IOrgScoped
{
    public Guid Id { get; set; }
    public Guid BookingId { get; set; }
    public DateTime OccurrenceStartUtc { get; set; }
    public DateTime StartUtc { get; set; }
    public DateTime EndUtc { get; set; }
    public Guid? RoomId { get; set; }
    public DateTime? PreparedUtc { get; set; }
    public DateTime? LaunchedUtc { get; set; }
    public DateTime? WarnedUtc { get; set; }
    public DateTime? EndedUtc { get; set; }

    /// <summary>Why the occurrence did not launch (the hub was down past its end, …), or null.</summary>
    public string? Missed { get; set; }

    public required string OrgPath { get; set; }
}

/// <summary>The dial state of one site in one run: attempts, last outcome, connected or not (shown to the chair).</summary>
public sealed class MeetingDial : IOrgScoped
{
    public Guid Id { get; set; }
    public Guid RunId { get; set; }
    public Guid SiteId { get; set; }
    public Guid? EndpointId { get; set; }
    public int Attempts { get; set; }
    public DateTime? LastAttemptUtc { get; set; }
    public string? LastOutcome { get; set; }
    public DateTime? ConnectedUtc { get; set; }
    public required string OrgPath { get; set; }
}

/// <summary>A notice (信息提醒) to users, optionally about a booking; each recipient's read receipt is a row.</summary>
public sealed class Notice : IOrgScoped
{
    public Guid Id { get; set; }
    public required string Title { get; set; }
    public required string Body { get; set; }
    public required string Kind { get; set; }
    public Guid? BookingId { get; set; }
    public Guid? SenderUserId { get; set; }
    public Guid SenderOrgUnitId { get; set; }
    public DateTime CreatedUtc { get; set; }

    /// <summary>An attached report (CSV), e.g. the weekly supervision report; null when none.</summary>
    public string? AttachmentName { get; set; }

    public string? Attachment { get; set; }

    public required string OrgPath { get; set; }
}

/// <summary>
/// One recipient of a notice (阅读回执): a user, with when they read it. <see cref="OrgPath"/> is the recipient's,
/// so a recipient below the sender sees their own row, and the sender (above) sees every receipt.
/// </summary>
public sealed class NoticeRecipient : IOrgScoped
{
    public Guid Id { get; set; }
    public Guid NoticeId { get; set; }
    public Guid UserId { get; set; }
    public Guid? SiteId { get; set; }
    public DateTime? ReadUtc { get; set; }
    public required string OrgPath { get; set; }
}
