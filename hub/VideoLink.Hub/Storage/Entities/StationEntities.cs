namespace VideoLink.Hub.Storage.Entities;

/// <summary>A one-time token an administrator issues so a site's station agent can enrol (stored hashed).</summary>
public sealed class AgentEnrollment : IOrgScoped
{
    public Guid Id { get; set; }
    public Guid SiteId { get; set; }
    public required string TokenHash { get; set; }
    public DateTime ExpiresUtc { get; set; }
    public DateTime? UsedUtc { get; set; }
    public DateTime CreatedUtc { get; set; }
    public required string OrgPath { get; set; }
}

/// <summary>The enrolled station agent of a site; its secret is stored hashed and is separate from any user login.</summary>
public sealed class EnrolledAgent : IOrgScoped
{
    public Guid Id { get; set; }
    public Guid SiteId { get; set; }
    public required string SecretHash { get; set; }
    public DateTime EnrolledUtc { get; set; }
    public DateTime? LastSeenUtc { get; set; }
    public required string OrgPath { get; set; }
}

public enum CheckInMethod
{
    IdCard,
    IcCard,
    SignIn,
    SignOut,
    Button,
    Rating,
}

/// <summary>
/// A swipe, sign-in, sign-out or button press recorded by a station agent. The id is the agent's UUID, so an upload
/// repeated after a lost acknowledgement is stored once.
/// </summary>
public sealed class CheckIn : IOrgScoped
{
    public Guid Id { get; set; }
    public Guid SiteId { get; set; }
    public required string DeviceCode { get; set; }
    public CheckInMethod Method { get; set; }
    public string? PersonHash { get; set; }
    public string? PersonMasked { get; set; }
    public string? Detail { get; set; }
    public DateTime DeviceTimeUtc { get; set; }
    public DateTime ReceivedUtc { get; set; }
    public required string OrgPath { get; set; }
}
