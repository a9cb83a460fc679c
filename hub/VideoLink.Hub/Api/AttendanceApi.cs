using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using VideoLink.Hub.Attendance;
using VideoLink.Hub.Bookings;
using VideoLink.Hub.Security;
using VideoLink.Hub.Storage;

namespace VideoLink.Hub.Api;

/// <summary>
/// Attendance: one occurrence (per site and per person) and a summary over a period for an org unit; JSON, or
/// <c>?format=csv</c> / <c>?format=xlsx</c> for export.
/// </summary>
internal static class AttendanceApi
{
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(366);

    public static RouteGroupBuilder MapAttendanceApi(this RouteGroupBuilder api)
    {
        api.MapGet("/bookings/{id:guid}/occurrences/{start}/attendance", OccurrenceAsync).WithTags("Attendance").RequireAuthorization(Policies.DirectoryRead);
        api.MapGet("/attendance", SummaryAsync).WithTags("Attendance").RequireAuthorization(Policies.DirectoryRead);
        return api;
    }

    private static async Task<IResult> OccurrenceAsync(Guid id, string start, string? format, VideoLinkDbContext db, AttendanceReports reports, CancellationToken ct)
    {
        if (format is not (null or "json" or "csv" or "xlsx"))
        {
            return new Validation().Require(false, "format", "json, csv or xlsx").Problem();
        }

        var booking = await db.Bookings.AsNoTracking().Include(b => b.Sites).Include(b => b.Changes).FirstOrDefaultAsync(b => b.Id == id, ct);
        if (booking is null)
        {
            return ApiProblems.NotFound("The booking");
        }

        if (!BookingTimes.TryParseOccurrence(start, out var original))
        {
            return new Validation().Require(false, "start", "must be the occurrence's original start, e.g. 2026-12-07T01:00:00Z").Problem();
        }

        var run = await db.MeetingRuns.AsNoTracking().FirstOrDefaultAsync(r => r.BookingId == id && r.OccurrenceStartUtc == original, ct);
        var occurrence = run is not null
            ? new Occurrence(id, original, run.StartUtc, run.EndUtc, false)
            : BookingCalendar.Find(booking, original);
        if (occurrence is null)
        {
            return ApiProblems.NotFound("The occurrence");
        }

        var view = await reports.OccurrenceAsync(db, booking, occurrence, ct);
        var name = $"attendance-{id:N}-{original:yyyyMMdd'T'HHmm}";
        return Export(view, AttendanceReports.Tables(view), format, name);
    }

    private static async Task<IResult> SummaryAsync(Guid? orgUnitId, string? from, string? to, string? format, VideoLinkDbContext db, ClaimsPrincipal user, TimeProvider clock,
        AttendanceReports reports, CancellationToken ct)
    {
        var check = new Validation();
        check.Require(format is null or "json" or "csv" or "xlsx", "format", "json, csv or xlsx");
        var now = clock.GetUtcNow().UtcDateTime;
        DateTime fromUtc = now.Date.AddDays(-30), toUtc = now;
        check.Require(from is null || BookingTimes.TryParse(from, TimeZoneInfo.Utc, out fromUtc), "from", "must be a date-time (ISO 8601)");
        if (to is null)
        {
            toUtc = fromUtc < now ? now.AddDays(1) : fromUtc.AddDays(31);
        }

        check.Require(to is null || BookingTimes.TryParse(to, TimeZoneInfo.Utc, out toUtc), "to", "must be a date-time (ISO 8601)");
        if (check.IsValid)
        {
            check.Require(toUtc > fromUtc, "to", "must be after from");
            check.Require(toUtc - fromUtc <= MaxWindow, "to", $"the window is at most {MaxWindow.TotalDays} days");
        }

        if (!check.IsValid)
        {
            return check.Problem();
        }

        var unit = await db.VisibleUnitAsync(orgUnitId ?? Guid.Parse(user.FindFirstValue(BearerAuthenticationHandler.OrgUnitClaim)!), ct);
        if (unit is null)
        {
            return ApiProblems.NotFound("The org unit");
        }

        var view = await reports.SummaryAsync(db, unit, fromUtc, toUtc, ct);
        return Export(view, AttendanceReports.Tables(view), format, $"attendance-{unit.Code}-{fromUtc:yyyyMMdd}-{toUtc:yyyyMMdd}");
    }

    private static IResult Export<T>(T view, IReadOnlyList<ReportTable> tables, string? format, string name) => format switch
    {
        "csv" => Results.File(CsvExport.Write(tables), CsvExport.ContentType, name + ".csv"),
        "xlsx" => Results.File(XlsxExport.Write(tables), XlsxExport.ContentType, name + ".xlsx"),
        _ => TypedResults.Ok(view),
    };
}
