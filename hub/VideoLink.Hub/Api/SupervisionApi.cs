using System.Globalization;
using System.Security.Claims;
using VideoLink.Hub.Attendance;
using VideoLink.Hub.Security;
using VideoLink.Hub.Storage;
using VideoLink.Hub.Supervision;

namespace VideoLink.Hub.Api;

/// <summary><c>GET /api/supervision?orgUnitId=&amp;week=YYYY-MM-DD[&amp;format=csv|xlsx]</c>: the weekly supervision report on demand.</summary>
internal static class SupervisionApi
{
    public static RouteGroupBuilder MapSupervisionApi(this RouteGroupBuilder api)
    {
        api.MapGet("/supervision", ReportAsync).WithTags("Supervision").RequireAuthorization(Policies.DirectoryRead);
        return api;
    }

    private static async Task<IResult> ReportAsync(Guid? orgUnitId, string? week, string? format, VideoLinkDbContext db, ClaimsPrincipal user, TimeProvider clock,
        SupervisionReports reports, CancellationToken ct)
    {
        var check = new Validation().Require(format is null or "json" or "csv" or "xlsx", "format", "json, csv or xlsx");
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(clock.GetUtcNow().UtcDateTime, SupervisionReports.Zone)).AddDays(-7);
        check.Require(week is null || DateOnly.TryParseExact(week, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day), "week", "a date, YYYY-MM-DD (any day of the week)");
        if (!check.IsValid)
        {
            return check.Problem();
        }

        var unit = await db.VisibleUnitAsync(orgUnitId ?? Guid.Parse(user.FindFirstValue(BearerAuthenticationHandler.OrgUnitClaim)!), ct);
        if (unit is null)
        {
            return ApiProblems.NotFound("The org unit");
        }

        var view = await reports.BuildAsync(db, unit, SupervisionReports.WeekOf(day), ct);
        var name = $"supervision-{unit.Code}-{view.WeekStart:yyyyMMdd}";
        return format switch
        {
            "csv" => Results.File(CsvExport.Write(SupervisionReports.Tables(view)), CsvExport.ContentType, name + ".csv"),
            "xlsx" => Results.File(XlsxExport.Write(SupervisionReports.Tables(view)), XlsxExport.ContentType, name + ".xlsx"),
            _ => TypedResults.Ok(view),
        };
    }
}
