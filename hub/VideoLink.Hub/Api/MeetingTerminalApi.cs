using Microsoft.EntityFrameworkCore;
using VideoLink.Hub.Security;
using VideoLink.Hub.Storage;

namespace VideoLink.Hub.Api;

/// <summary>A meeting running now that invited one or more sites the caller can see, and the WHIP door to join it.</summary>
public sealed record LiveMeetingView(Guid BookingId, string Title, Guid RoomId, DateTime StartUtc, DateTime EndUtc, string WhipUrl, IReadOnlyList<LiveMeetingSite> Sites);

public sealed record LiveMeetingSite(Guid Id, string Name);

/// <summary>
/// The site terminal (会议终端): a township or village joins the district's meeting from a browser. The meeting and its
/// room belong to the organiser above; the caller sees only that a meeting running now invited sites in their own
/// subtree — its title, times and room — and which of their sites are invited (never the others).
/// </summary>
public static class MeetingTerminalApi
{
    public static RouteGroupBuilder MapMeetingTerminalApi(this RouteGroupBuilder api)
    {
        api.MapGet("/meetings/live", LiveAsync).WithTags("Bookings").RequireAuthorization(Policies.DirectoryRead);
        return api;
    }

    private static async Task<IResult> LiveAsync(VideoLinkDbContext db, HttpContext http, CancellationToken ct)
    {
        // Two queries on purpose: IgnoreQueryFilters switches off every filter of a query, so the caller's sites are
        // read under the org-tree rule first, and only then the organiser's runs and bookings past it.
        var mine = await db.Sites.AsNoTracking().Select(s => new { s.Id, s.Name }).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var ids = mine.Keys.ToList();
        var rows = await (from run in db.MeetingRuns.IgnoreQueryFilters()
                          where run.LaunchedUtc != null && run.EndedUtc == null && run.RoomId != null
                          join booking in db.Bookings.IgnoreQueryFilters() on run.BookingId equals booking.Id
                          join bs in db.BookingSites on run.BookingId equals bs.BookingId
                          where ids.Contains(bs.SiteId)
                          select new { run.BookingId, booking.Title, RoomId = run.RoomId!.Value, run.StartUtc, run.EndUtc, bs.SiteId })
            .AsNoTracking().ToListAsync(ct);
        var origin = $"{http.Request.Scheme}://{http.Request.Host}";
        var meetings = rows.GroupBy(r => r.RoomId)
            .Select(g =>
            {
                var m = g.First();
                var sites = g.Select(r => new LiveMeetingSite(r.SiteId, mine[r.SiteId])).DistinctBy(s => s.Id).OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
                return new LiveMeetingView(m.BookingId, m.Title, m.RoomId, Utc(m.StartUtc), Utc(m.EndUtc), $"{origin}/whip/{m.RoomId}", sites);
            })
            .OrderBy(m => m.StartUtc)
            .ToList();
        return TypedResults.Ok(meetings);
    }

    private static DateTime Utc(DateTime d) => DateTime.SpecifyKind(d, DateTimeKind.Utc);
}
