namespace VideoLink.Hub.Storage.Entities;

/// <summary>
/// An entity that belongs to a place in the organisation tree. <see cref="OrgPath"/> is the
/// materialised path of the owning org unit ("/root/township/village/"), copied onto the row so the
/// org-tree rule can be enforced by one query filter for every table (see <c>VideoLinkDbContext</c>).
/// </summary>
public interface IOrgScoped
{
    string OrgPath { get; set; }
}

public enum OrgUnitKind
{
    District,
    Department,
    Township,
    Subdistrict,
    Village,
    Community,
    PartyCommittee,
    PartyBranch,
}

public enum SiteKind
{
    DistrictCentre,
    TownshipCentre,
    VillageKiosk,
    MeetingRoom,
    ExpertStation,
}

public enum EndpointKind
{
    Sip,
    Web,
}

public enum DeviceKind
{
    Camera,
    Display,
    CardReader,
    Relay,
    Button,
    SatisfactionKeys,
}

public enum Role
{
    Member,
    Expert,
    StationAttendant,
    EducationManager,
    OrgStaff,
    BranchAdmin,
    DistrictAdmin,
}

/// <summary>An organisation unit: the district's organisation department, a township, a village, a party branch …</summary>
public sealed class OrgUnit : IOrgScoped
{
    public Guid Id { get; set; }
    public Guid? ParentId { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    public OrgUnitKind Kind { get; set; }
    public int Depth { get; set; }
    /// <summary>Path including this unit itself, so a user at this unit sees the unit and all below.</summary>
    public required string OrgPath { get; set; }
}

/// <summary>A place with video equipment: a village kiosk, a township meeting room, an expert station (服务面对面).</summary>
public sealed class Site : IOrgScoped
{
    public Guid Id { get; set; }
    public Guid OrgUnitId { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    public SiteKind Kind { get; set; }
    public string? Address { get; set; }
    public required string OrgPath { get; set; }
    public List<SiteServiceCategory> Categories { get; set; } = [];
}

/// <summary>A service category an expert station serves (行政, 医疗, 法律 …).</summary>
public sealed class ServiceCategory
{
    public required string Code { get; set; }
    public required string Name { get; set; }
    public string? NameEn { get; set; }
    public string? Icon { get; set; }
    public int SortOrder { get; set; }
    /// <summary>Consultations of this category are recorded (the recording itself arrives with the recording work).</summary>
    public bool RecordConsultations { get; set; }
}

public sealed class SiteServiceCategory
{
    public Guid SiteId { get; set; }
    public required string CategoryCode { get; set; }
}

/// <summary>A SIP account or a web (browser) endpoint at a site. SIP secrets are stored only as digest HA1 values.</summary>
public sealed class SiteEndpoint : IOrgScoped
{
    public Guid Id { get; set; }
    public Guid SiteId { get; set; }
    public EndpointKind Kind { get; set; }
    public string? SipUser { get; set; }
    public required string DisplayName { get; set; }
    /// <summary>MD5(user:realm:password), RFC 2617 HA1; never returned by the API.</summary>
    public string? SipHa1Md5 { get; set; }
    /// <summary>SHA-256(user:realm:password), RFC 7616 HA1; never returned by the API.</summary>
    public string? SipHa1Sha256 { get; set; }
    public string? SipRealm { get; set; }
    public required string OrgPath { get; set; }
}

/// <summary>A device the station agent drives: camera, display, card reader, relay …</summary>
public sealed class Device : IOrgScoped
{
    public Guid Id { get; set; }
    public Guid SiteId { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    public DeviceKind Kind { get; set; }
    public required string Driver { get; set; }
    public string? Port { get; set; }
    public string? Host { get; set; }
    public int? Address { get; set; }
    public string? OptionsJson { get; set; }
    public required string OrgPath { get; set; }
}

/// <summary>
/// A person known to the district (expert, staff, party member). The resident ID number is never stored:
/// only a keyed hash (to recognise a swipe) and a masked form (for display).
/// </summary>
public sealed class Person : IOrgScoped
{
    public Guid Id { get; set; }
    public Guid OrgUnitId { get; set; }
    public required string Name { get; set; }
    public string? IdNumberHash { get; set; }
    public string? IdNumberMasked { get; set; }
    public string? PhoneMasked { get; set; }
    public string? PhoneHash { get; set; }

    /// <summary>Duty sign-in (网上签到): the station the person (a cadre) signs in at, days required per week, and when the
    /// duty day starts (a later first sign-in is late). Null when the person has no duty.</summary>
    public Guid? DutySiteId { get; set; }

    public int? DutyDaysPerWeek { get; set; }

    public TimeOnly? DutyStart { get; set; }

    public required string OrgPath { get; set; }
}

/// <summary>An expert who answers villagers at a 服务面对面 station, with a weekly duty roster.</summary>
public sealed class Expert : IOrgScoped
{
    public Guid Id { get; set; }
    public Guid PersonId { get; set; }
    public Guid StationSiteId { get; set; }
    public required string CategoryCode { get; set; }
    public string? Title { get; set; }
    public required string OrgPath { get; set; }
    public List<DutyShift> Duty { get; set; } = [];

    /// <summary>The expert's own login (expert app); null for roster-only experts reached by the station's SIP phone.</summary>
    public Guid? UserId { get; set; }

    /// <summary>Categories served besides <see cref="CategoryCode"/>.</summary>
    public List<ExpertCategory> ExtraCategories { get; set; } = [];

    /// <summary>Presence as last set in the expert app (Available / Busy / Away); null = never set (derived from the SIP phone).</summary>
    public string? PresenceStatus { get; set; }

    /// <summary>Since when the expert has been free: the end of the last call or the moment they became available.</summary>
    public DateTime? IdleSinceUtc { get; set; }
}

public sealed class ExpertCategory
{
    public Guid ExpertId { get; set; }
    public required string CategoryCode { get; set; }
}

public sealed class DutyShift
{
    public Guid Id { get; set; }
    public Guid ExpertId { get; set; }
    public DayOfWeek Day { get; set; }
    public TimeOnly Start { get; set; }
    public TimeOnly End { get; set; }
}

/// <summary>A console login. Agents and SIP phones have their own credentials, never a user login.</summary>
public sealed class User : IOrgScoped
{
    public Guid Id { get; set; }
    public required string Username { get; set; }
    public required string PasswordHash { get; set; }
    public required string DisplayName { get; set; }
    public Role Role { get; set; }
    public Guid OrgUnitId { get; set; }
    public Guid? PersonId { get; set; }
    public int FailedLogins { get; set; }
    public DateTime? LockedUntilUtc { get; set; }
    public DateTime CreatedUtc { get; set; }
    public required string OrgPath { get; set; }
}

/// <summary>Records which seed file (by content hash) has been loaded, so seeding is idempotent.</summary>
public sealed class SeedRun
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string Sha256 { get; set; }
    public DateTime AppliedUtc { get; set; }
}
