namespace VideoLink.Hub.Organisation;

/// <summary>Materialised paths of the organisation tree: "/{root}/{township}/{village}/", each segment an id in "N" form.</summary>
public static class OrgPaths
{
    public static string Child(string? parentPath, Guid id) => (parentPath ?? "/") + id.ToString("N") + "/";
}
