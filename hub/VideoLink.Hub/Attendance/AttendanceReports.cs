using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VideoLink.Hub.Bookings;
using VideoLink.Hub.Storage;
using VideoLink.Hub.Storage.Entities;

namespace VideoLink.Hub.Attendance;

public sealed record IntervalView(DateTime Joined, DateTime Left);

public sealed record SiteAttendanceView(Guid SiteId, string SiteName, IReadOnlyList<IntervalView> Connected, double ConnectedSeconds, double Minutes,
    DateTime? FirstJoin, DateTime? LastLeave, bool Late, bool LeftEarly, bool Absent);

public sealed record PersonAttendanceView(Guid? PersonId, string? Name, string? Masked, Guid SiteId, string SiteName, double PresentSeconds, double Minutes, DateTime? FirstCheckIn, bool Late);

public sealed record OccurrenceAttendanceView(Guid BookingId, string Title, DateTime OriginalStart, DateTime Start, DateTime End, Guid? RoomId, bool Held,
    IReadOnlyList<SiteAttendanceView> Sites, IReadOnlyList<PersonAttendanceView> People);

public sealed record SiteSummaryView(Guid SiteId, string SiteName, int MeetingsExpected, int MeetingsAttended, double Minutes, double Rate);

public sealed record PersonSummaryView(Guid? PersonId, string? Name, string? Masked, int? MeetingsExpected, int MeetingsAttended, double Minutes, double? Rate);

public sealed record AttendanceSummaryView(Guid OrgUnitId, DateTime From, DateTime To, int Occurrences, IReadOnlyList<SiteSummaryView> Sites, IReadOnlyList<PersonSummaryView> People);

/// <summary>
/// Attendance of booked meetings from the durable record: the room's leg intervals (per site) and the sites' check-ins
/// (per person), through <see cref="AttendanceCalculator"/>. Reads with the caller's context, so the org-tree rule holds.
/// </summary>
public sealed class AttendanceReports(TimeProvider clock, IOptions<BookingOptions> options)
{
    /// <summary>Check-ins this long before the start still count (people sign in before the meeting).</summary>
    public static readonly TimeSpan CheckInLookBack = TimeSpan.FromHours(12);

    public async Task<OccurrenceAttendanceView> OccurrenceAsync(VideoLinkDbContext db, Booking booking, Occurrence occurrence, CancellationToken ct)
    {
        var run = await db.MeetingRuns.AsNoTracking().FirstOrDefaultAsync(r => r.BookingId == booking.Id && r.OccurrenceStartUtc == occurrence.OriginalStartUtc, ct);
        var siteIds = booking.Sites.Select(s => s.SiteId).ToList();
        var names = await db.Sites.IgnoreQueryFilters().AsNoTracking().Where(s => siteIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var window = new TimeInterval(run?.StartUtc ?? occurrence.StartUtc, run?.EndUtc ?? occurrence.EndUtc);
        var now = clock.GetUtcNow().UtcDateTime;
        var grace = TimeSpan.FromMinutes(options.Value.GraceMinutes);
        var legs = run?.RoomId is { } roomId
            ? await db.RoomLegIntervals.AsNoTracking().Where(i => i.RoomId == roomId && i.SiteId != null).Select(i => new { i.SiteId, i.JoinedUtc, i.LeftUtc }).ToListAsync(ct)
            : [];
        var sites = siteIds.ToDictionary(
            id => id,
            id => AttendanceCalculator.ForSite(id, legs.Where(l => l.SiteId == id).Select(l => (l.JoinedUtc, l.LeftUtc)), window, now, grace));
        var from = window.Start - CheckInLookBack;
        var checkIns = run?.RoomId is null ? [] : await db.CheckIns.IgnoreQueryFilters().AsNoTracking()
            .Where(c => siteIds.Contains(c.SiteId) && c.DeviceTimeUtc >= from && c.DeviceTimeUtc < window.End && (c.PersonHash != null || c.PersonMasked != null))
            .Select(c => new { c.SiteId, c.Method, c.DeviceTimeUtc, c.PersonHash, c.PersonMasked })
            .ToListAsync(ct);
        var events = checkIns.Select(c => new CheckInEvent(c.PersonHash ?? "masked:" + c.PersonMasked, c.SiteId, c.Method, c.DeviceTimeUtc)).ToList();
        var people = AttendanceCalculator.ForPeople(events, sites, window, grace);
        var hashes = people.Select(p => p.PersonKey).Where(k => !k.StartsWith("masked:", StringComparison.Ordinal)).ToList();
        var known = await db.People.IgnoreQueryFilters().AsNoTracking().Where(p => p.IdNumberHash != null && hashes.Contains(p.IdNumberHash)).ToListAsync(ct);
        var masked = checkIns.GroupBy(c => c.PersonHash ?? "masked:" + c.PersonMasked).ToDictionary(g => g.Key, g => g.First().PersonMasked);
        return new OccurrenceAttendanceView(
            booking.Id,
            booking.Title,
            occurrence.OriginalStartUtc,
            window.Start,
            window.End,
            run?.RoomId,
            run?.RoomId is not null,
            sites.Values.Select(s => new SiteAttendanceView(s.SiteId, names.GetValueOrDefault(s.SiteId) ?? "?", s.Connected.Select(i => new IntervalView(i.Start, i.End)).ToList(),
                Math.Round(s.ConnectedSeconds, 1), s.Minutes, s.FirstJoinUtc, s.LastLeaveUtc, s.Late, s.LeftEarly, s.Absent)).OrderBy(s => s.SiteName, StringComparer.Ordinal).ToList(),
            people.Select(p =>
            {
                var person = known.FirstOrDefault(k => k.IdNumberHash == p.PersonKey);
                return new PersonAttendanceView(person?.Id, person?.Name, person?.IdNumberMasked ?? masked.GetValueOrDefault(p.PersonKey), p.SiteId, names.GetValueOrDefault(p.SiteId) ?? "?",
                    Math.Round(p.PresentSeconds, 1), p.Minutes, p.FirstCheckInUtc, p.Late);
            }).OrderBy(p => p.SiteName, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal).ToList());
    }

    /// <summary>Per site and per person over the held occurrences in [from, to) of bookings visible to the caller that
    /// involve <paramref name="unit"/>'s subtree (organised there, or with a site there).</summary>
    public async Task<AttendanceSummaryView> SummaryAsync(VideoLinkDbContext db, OrgUnit unit, DateTime from, DateTime to, CancellationToken ct)
    {
        var unitSites = await db.Sites.AsNoTracking().Where(s => s.OrgPath.StartsWith(unit.OrgPath)).Select(s => new { s.Id, s.OrgUnitId }).ToListAsync(ct);
        var unitSiteIds = unitSites.Select(s => s.Id).ToHashSet();
        var runs = await db.MeetingRuns.AsNoTracking().Where(r => r.RoomId != null && r.StartUtc >= from && r.StartUtc < to).OrderBy(r => r.StartUtc).Take(5000).ToListAsync(ct);
        var bookingIds = runs.Select(r => r.BookingId).Distinct().ToList();
        var bookings = await db.Bookings.AsNoTracking().Include(b => b.Sites).Include(b => b.Changes).Where(b => bookingIds.Contains(b.Id)).ToDictionaryAsync(b => b.Id, ct);
        var siteRows = new Dictionary<Guid, (string Name, int Expected, int Attended, double Seconds)>();
        var personRows = new Dictionary<string, (Guid? Id, string? Name, string? Masked, int Attended, double Seconds)>(StringComparer.Ordinal);
        var expectedByUnit = new Dictionary<Guid, int>();
        var held = 0;
        foreach (var run in runs)
        {
            if (!bookings.TryGetValue(run.BookingId, out var booking)
                || !(booking.OrgPath.StartsWith(unit.OrgPath, StringComparison.Ordinal) || booking.Sites.Any(s => unitSiteIds.Contains(s.SiteId))))
            {
                continue;
            }

            held++;
            var occurrence = new Occurrence(booking.Id, run.OccurrenceStartUtc, run.StartUtc, run.EndUtc, false);
            var report = await OccurrenceAsync(db, booking, occurrence, ct);
            foreach (var site in report.Sites.Where(s => unitSiteIds.Contains(s.SiteId)))
            {
                var row = siteRows.GetValueOrDefault(site.SiteId, (site.SiteName, 0, 0, 0));
                siteRows[site.SiteId] = (row.Name, row.Expected + 1, row.Attended + (site.Absent ? 0 : 1), row.Seconds + site.ConnectedSeconds);
                var siteUnit = unitSites.First(s => s.Id == site.SiteId).OrgUnitId;
                expectedByUnit[siteUnit] = expectedByUnit.GetValueOrDefault(siteUnit) + 1;
            }

            foreach (var person in report.People.Where(p => unitSiteIds.Contains(p.SiteId)))
            {
                var key = person.PersonId?.ToString() ?? "masked:" + person.Masked;
                var row = personRows.GetValueOrDefault(key, (person.PersonId, person.Name, person.Masked, 0, 0));
                personRows[key] = (row.Id, row.Name, row.Masked, row.Attended + (person.PresentSeconds > 0 ? 1 : 0), row.Seconds + person.PresentSeconds);
            }
        }

        var personIds = personRows.Values.Where(p => p.Id is not null).Select(p => p.Id!.Value).ToList();
        var personUnits = await db.People.IgnoreQueryFilters().AsNoTracking().Where(p => personIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.OrgUnitId, ct);
        return new AttendanceSummaryView(
            unit.Id,
            from,
            to,
            held,
            siteRows.Select(kv => new SiteSummaryView(kv.Key, kv.Value.Name, kv.Value.Expected, kv.Value.Attended, Math.Round(kv.Value.Seconds / 60, 2), Rate(kv.Value.Attended, kv.Value.Expected)))
                .OrderBy(s => s.SiteName, StringComparer.Ordinal).ToList(),
            personRows.Values.Select(p =>
            {
                // A person is expected at the meetings booked on a site of their own org unit.
                int? expected = p.Id is { } id && personUnits.TryGetValue(id, out var u) ? Math.Max(expectedByUnit.GetValueOrDefault(u), p.Attended) : null;
                return new PersonSummaryView(p.Id, p.Name, p.Masked, expected, p.Attended, Math.Round(p.Seconds / 60, 2), expected is { } e ? Rate(p.Attended, e) : null);
            }).OrderBy(p => p.Name, StringComparer.Ordinal).ToList());
    }

    public static IReadOnlyList<ReportTable> Tables(OccurrenceAttendanceView view) =>
    [
        new ReportTable("站点 Sites", ["site", "minutes", "seconds", "first join (UTC)", "last leave (UTC)", "late", "left early", "absent", "intervals"],
            view.Sites.Select(s => new object?[] { s.SiteName, s.Minutes, s.ConnectedSeconds, s.FirstJoin, s.LastLeave, s.Late, s.LeftEarly, s.Absent,
                string.Join(" ", s.Connected.Select(i => $"{CsvExport.Cell(i.Joined)}/{CsvExport.Cell(i.Left)}")) }).ToList()),
        new ReportTable("人员 People", ["name", "id (masked)", "site", "minutes", "seconds", "first check-in (UTC)", "late"],
            view.People.Select(p => new object?[] { p.Name, p.Masked, p.SiteName, p.Minutes, p.PresentSeconds, p.FirstCheckIn, p.Late }).ToList()),
    ];

    public static IReadOnlyList<ReportTable> Tables(AttendanceSummaryView view) =>
    [
        new ReportTable("站点 Sites", ["site", "meetings expected", "meetings attended", "minutes", "rate"],
            view.Sites.Select(s => new object?[] { s.SiteName, s.MeetingsExpected, s.MeetingsAttended, s.Minutes, s.Rate }).ToList()),
        new ReportTable("人员 People", ["name", "id (masked)", "meetings expected", "meetings attended", "minutes", "rate"],
            view.People.Select(p => new object?[] { p.Name, p.Masked, p.MeetingsExpected, p.MeetingsAttended, p.Minutes, p.Rate }).ToList()),
    ];

    private static double Rate(int attended, int expected) => expected == 0 ? 0 : Math.Round((double)attended / expected, 4);
}
