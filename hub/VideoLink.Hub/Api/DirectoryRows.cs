using Microsoft.EntityFrameworkCore;
using VideoLink.Hub.Storage;
using VideoLink.Hub.Storage.Entities;

namespace VideoLink.Hub.Api;

/// <summary>
/// Look-ups and deletes the directory endpoints share. Everything goes through the context's org-tree filter, so a row
/// outside the caller's subtree is simply not found.
/// </summary>
internal static class DirectoryRows
{
    public static Task<OrgUnit?> VisibleUnitAsync(this VideoLinkDbContext db, Guid? id, CancellationToken ct) =>
        db.OrgUnits.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct);

    public static Task<Site?> VisibleSiteAsync(this VideoLinkDbContext db, Guid? id, CancellationToken ct) =>
        db.Sites.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);

    /// <summary>Deletes one row by id (FindAsync applies the query filters) or answers 404.</summary>
    public static async Task<IResult> DeleteAsync<T>(VideoLinkDbContext db, Guid id, string what, CancellationToken ct)
        where T : class
    {
        var row = await db.Set<T>().FindAsync([id], ct);
        if (row is null)
        {
            return ApiProblems.NotFound(what);
        }

        db.Remove(row);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
