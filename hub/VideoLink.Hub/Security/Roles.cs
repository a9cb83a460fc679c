using VideoLink.Hub.Storage.Entities;

namespace VideoLink.Hub.Security;

/// <summary>The authorisation policies every endpoint names. Roles decide *what* a user may do; the org tree decides *where*.</summary>
public static class Policies
{
    /// <summary>Read the directory of one's own subtree (every role).</summary>
    public const string DirectoryRead = "directory.read";

    /// <summary>Create, change and delete org units, sites, endpoints, devices and people.</summary>
    public const string DirectoryWrite = "directory.write";

    /// <summary>Create and manage console users.</summary>
    public const string UserAdmin = "users.admin";

    /// <summary>Whole-node operations data (counters): district administrators only.</summary>
    public const string SystemAdmin = "system.admin";

    /// <summary>Open and close rooms (meetings, broadcasts).</summary>
    public const string RoomHost = "rooms.host";

    public static IReadOnlySet<Role> RoomHosts { get; } = new HashSet<Role> { Role.DistrictAdmin, Role.BranchAdmin, Role.OrgStaff, Role.EducationManager, Role.Expert, Role.StationAttendant };

    /// <summary>Drive cameras, displays and relays, and prepare sites for meetings.</summary>
    public const string DeviceControl = "devices.control";

    public static IReadOnlySet<Role> DeviceControllers { get; } = new HashSet<Role> { Role.DistrictAdmin, Role.BranchAdmin, Role.OrgStaff, Role.StationAttendant };

    /// <summary>Send notices and see their read receipts.</summary>
    public const string NoticeSend = "notices.send";

    public static IReadOnlySet<Role> NoticeSenders { get; } = new HashSet<Role> { Role.DistrictAdmin, Role.BranchAdmin, Role.OrgStaff, Role.EducationManager };

    public static IReadOnlySet<Role> DirectoryWriters { get; } = new HashSet<Role> { Role.DistrictAdmin, Role.BranchAdmin };

    public static IReadOnlySet<Role> UserAdmins { get; } = new HashSet<Role> { Role.DistrictAdmin, Role.BranchAdmin };

    /// <summary>Take part in a call: every staff role and the kiosks (WHIP/WHEP, ICE servers, live pushes).</summary>
    public const string Participant = "call.participant";

    /// <summary>Raise, cancel and rate a consultation for a site: its kiosk, or staff who run devices there.</summary>
    public const string ConsultationRequest = "consultations.request";

    /// <summary>The expert app: presence, offers, accept/decline, transfer, invite, notes.</summary>
    public const string ExpertSelf = "experts.self";

    /// <summary>End a call: the kiosk or an expert in it.</summary>
    public const string ConsultationParty = "consultations.party";

    /// <summary>Work the call-back (回访) list.</summary>
    public const string ConsultationStaff = "consultations.staff";

    public static IReadOnlySet<Role> ConsultationStaffRoles { get; } = new HashSet<Role> { Role.DistrictAdmin, Role.BranchAdmin, Role.OrgStaff, Role.StationAttendant };

    /// <summary>A user may grant only roles at or below their own rank (a branch admin cannot mint a district admin).</summary>
    public static bool MayGrant(Role granter, Role granted) => granted <= granter;
}
