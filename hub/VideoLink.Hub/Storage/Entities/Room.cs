namespace VideoLink.Hub.Storage.Entities;

/// <summary>
/// A room: a consultation or a multi-site meeting. Durable here; its live legs are in memory on the media node.
/// <see cref="SipNumber"/> is what SIP phones dial (<c>sip:{number}@hub</c>).
/// </summary>
public sealed class Room : IOrgScoped
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string SipNumber { get; set; }
    public Guid OrgUnitId { get; set; }
    public Guid? CreatedByUserId { get; set; }
    public DateTime CreatedUtc { get; set; }
    public DateTime? ClosedUtc { get; set; }
    public required string OrgPath { get; set; }

    /// <summary>A locked room admits nobody new; kept across hub restarts.</summary>
    public bool Locked { get; set; }

    /// <summary>The dial-in PIN as a salted PBKDF2 hash (<see cref="Conference.RoomPin"/>); null = no PIN.</summary>
    public string? PinHash { get; set; }
}
