using VideoLink.Hub.Storage.Entities;

namespace VideoLink.Hub.Security;

/// <summary>
/// What the current caller may see in the organisation tree. The org-tree rule (a user sees their own
/// unit and everything below it, never above or beside) is enforced from this one object: the
/// <c>VideoLinkDbContext</c> filters every org-scoped table by it and refuses writes outside it.
/// Fails closed: an unauthenticated caller sees nothing.
/// </summary>
public sealed class OrgScope
{
    private OrgScope(bool isSystem, string? orgPath, Guid? userId, Role? role)
    {
        IsSystem = isSystem;
        OrgPath = orgPath;
        UserId = userId;
        Role = role;
    }

    /// <summary>Background work (migrations, seeding, scheduled jobs) acting for the whole district.</summary>
    public static OrgScope System { get; } = new(true, null, null, null);

    /// <summary>No caller: nothing is visible.</summary>
    public static OrgScope Nobody { get; } = new(false, null, null, null);

    public static OrgScope ForUser(Guid userId, Role role, string orgPath) => new(false, orgPath, userId, role);

    /// <summary>A machine principal (a station agent) limited to one subtree, with no user role.</summary>
    public static OrgScope ForSubtree(string orgPath) => new(false, orgPath, null, null);

    public bool IsSystem { get; }

    /// <summary>The caller's subtree root path, e.g. "/a1/b2/"; null means nothing (unless <see cref="IsSystem"/>).</summary>
    public string? OrgPath { get; }

    public Guid? UserId { get; }

    public Role? Role { get; }

    /// <summary>A value no real path starts with, so a query filter built from it matches nothing.</summary>
    internal string FilterPrefix => IsSystem ? string.Empty : OrgPath ?? "\u0001none";

    public bool Covers(string orgPath) => IsSystem || (OrgPath is not null && orgPath.StartsWith(OrgPath, StringComparison.Ordinal));
}

/// <summary>Holds the scope for the current DI scope (request or job). Defaults to <see cref="OrgScope.Nobody"/>.</summary>
public sealed class OrgScopeAccessor
{
    public OrgScope Current { get; set; } = OrgScope.Nobody;
}

/// <summary>Raised when a write would touch data outside the caller's subtree; mapped to 403.</summary>
public sealed class OrgScopeViolationException(string message) : Exception(message);
