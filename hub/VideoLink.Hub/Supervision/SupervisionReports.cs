using System.Text;
using Microsoft.EntityFrameworkCore;
using Quartz;
using VideoLink.Hub.Attendance;
using VideoLink.Hub.Bookings;
using VideoLink.Hub.Notices;
using VideoLink.Hub.Security;
using VideoLink.Hub.Storage;
using VideoLink.Hub.Storage.Entities;

namespace VideoLink.Hub.Supervision;

public sealed record DutyRow(Guid PersonId, string Name, Guid SiteId, string SiteName, int RequiredDays, int SignedDays, int MissedDays, int LateDays);

public sealed record MissedMeetingRow(Guid SiteId, string SiteName, int MeetingsExpected, int MeetingsMissed);

public sealed record SupervisionView(Guid OrgUnitId, string OrgUnitName, DateOnly WeekStart, IReadOnlyList<DutyRow> Duty, IReadOnlyList<MissedMeetingRow> MissedMeetings);

/// <summary>
/// The weekly supervision report (督查通知单) per org unit: cadres' duty sign-ins at their stations (三·五基层工作日:
/// required days per week, days signed in, missed days, late sign-ins) and the unit's sites that missed booked meetings.
/// A day counts as signed in when the person's card (hash) or sign-in appears at their duty station that local day.
/// </summary>
public sealed partial class SupervisionReports(IServiceScopeFactory scopes, AttendanceReports attendance, NoticeService notices, TimeProvider clock, ILogger<SupervisionReports> logger)
{
    public static TimeZoneInfo Zone => BookingCalendar.TryFindZone(BookingCalendar.DefaultTimeZone, out var z) ? z : TimeZoneInfo.Utc;

    /// <summary>The Monday starting the week that contains <paramref name="day"/>.</summary>
    public static DateOnly WeekOf(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    public async Task<SupervisionView> BuildAsync(VideoLinkDbContext db, OrgUnit unit, DateOnly weekStart, CancellationToken ct)
    {
        var zone = Zone;
        var fromUtc = TimeZoneInfo.ConvertTimeToUtc(weekStart.ToDateTime(TimeOnly.MinValue), zone);
        var toUtc = TimeZoneInfo.ConvertTimeToUtc(weekStart.AddDays(7).ToDateTime(TimeOnly.MinValue), zone);
        var cadres = await db.People.AsNoTracking().Where(p => p.OrgPath.StartsWith(unit.OrgPath) && p.DutySiteId != null && p.DutyDaysPerWeek != null).ToListAsync(ct);
        var siteIds = cadres.Select(p => p.DutySiteId!.Value).Distinct().ToList();
        var sites = await db.Sites.IgnoreQueryFilters().AsNoTracking().Where(s => siteIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var hashes = cadres.Where(p => p.IdNumberHash != null).Select(p => p.IdNumberHash).ToList();
        var signIns = await db.CheckIns.IgnoreQueryFilters().AsNoTracking()
            .Where(c => siteIds.Contains(c.SiteId) && c.DeviceTimeUtc >= fromUtc && c.DeviceTimeUtc < toUtc && hashes.Contains(c.PersonHash)
                && (c.Method == CheckInMethod.IdCard || c.Method == CheckInMethod.IcCard || c.Method == CheckInMethod.SignIn))
            .Select(c => new { c.SiteId, c.PersonHash, c.DeviceTimeUtc })
            .ToListAsync(ct);
        var duty = new List<DutyRow>();
        foreach (var cadre in cadres)
        {
            var days = signIns.Where(s => s.SiteId == cadre.DutySiteId && s.PersonHash == cadre.IdNumberHash)
                .Select(s => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(s.DeviceTimeUtc, DateTimeKind.Utc), zone))
                .GroupBy(t => DateOnly.FromDateTime(t))
                .Select(g => g.Min())
                .ToList();
            var late = cadre.DutyStart is { } start ? days.Count(first => TimeOnly.FromDateTime(first) > start) : 0;
            var required = cadre.DutyDaysPerWeek!.Value;
            duty.Add(new DutyRow(cadre.Id, cadre.Name, cadre.DutySiteId!.Value, sites.GetValueOrDefault(cadre.DutySiteId.Value) ?? "?", required, days.Count, Math.Max(0, required - days.Count), late));
        }

        var summary = await attendance.SummaryAsync(db, unit, fromUtc, toUtc, ct);
        var missed = summary.Sites.Where(s => s.MeetingsAttended < s.MeetingsExpected)
            .Select(s => new MissedMeetingRow(s.SiteId, s.SiteName, s.MeetingsExpected, s.MeetingsExpected - s.MeetingsAttended)).ToList();
        return new SupervisionView(unit.Id, unit.Name, weekStart, duty.OrderBy(d => d.Name, StringComparer.Ordinal).ToList(), missed);
    }

    public static IReadOnlyList<ReportTable> Tables(SupervisionView view) =>
    [
        new ReportTable("值班签到 Duty", ["name", "station", "required days", "signed days", "missed days", "late sign-ins"],
            view.Duty.Select(d => new object?[] { d.Name, d.SiteName, d.RequiredDays, d.SignedDays, d.MissedDays, d.LateDays }).ToList()),
        new ReportTable("缺席会议 Missed meetings", ["site", "meetings expected", "meetings missed"],
            view.MissedMeetings.Select(m => new object?[] { m.SiteName, m.MeetingsExpected, m.MeetingsMissed }).ToList()),
    ];

    /// <summary>
    /// Sends last week's report of every district, township and subdistrict unit to that unit's staff (OrgStaff and
    /// admins at the unit) as a notice with the CSV attached. One unit's failure is logged and the others still go out.
    /// </summary>
    public async Task<int> SendWeeklyAsync(CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(clock.GetUtcNow().UtcDateTime, Zone));
        var week = WeekOf(today).AddDays(-7);
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<OrgScopeAccessor>().Current = OrgScope.System;
        var db = scope.ServiceProvider.GetRequiredService<VideoLinkDbContext>();
        var units = await db.OrgUnits.AsNoTracking().Where(u => u.Kind == OrgUnitKind.District || u.Kind == OrgUnitKind.Township || u.Kind == OrgUnitKind.Subdistrict).ToListAsync(ct);
        var sent = 0;
        foreach (var unit in units)
        {
            try
            {
                var staff = await db.Users.AsNoTracking().Where(u => u.OrgUnitId == unit.Id && (u.Role == Role.OrgStaff || u.Role == Role.BranchAdmin || u.Role == Role.DistrictAdmin))
                    .Select(u => u.Id).ToListAsync(ct);
                if (staff.Count == 0)
                {
                    continue;
                }

                var view = await BuildAsync(db, unit, week, ct);
                var csv = Encoding.UTF8.GetString(CsvExport.Write(Tables(view))).TrimStart('\uFEFF');
                var body = $"{unit.Name} {week:yyyy-MM-dd} 起一周: 值班缺勤 {view.Duty.Sum(d => d.MissedDays)} 天, 迟到签到 {view.Duty.Sum(d => d.LateDays)} 次, 缺席会议 {view.MissedMeetings.Sum(m => m.MeetingsMissed)} 次。";
                await notices.SendAsync(db, new NewNotice($"督查通知单 {week:yyyy-MM-dd}", body, NoticeService.KindSupervision, new NoticeTargets(null, null, staff),
                    unit.Id, null, null, $"supervision-{unit.Code}-{week:yyyyMMdd}.csv", csv), ct);
                sent++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogUnitFailed(logger, unit.Id, ex);
            }
        }

        LogSent(logger, week.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), sent);
        return sent;
    }

    [LoggerMessage(EventId = 4401, Level = LogLevel.Information, Message = "Supervision reports for the week of {Week} sent to {Count} unit(s)")]
    private static partial void LogSent(ILogger logger, string week, int count);

    [LoggerMessage(EventId = 4402, Level = LogLevel.Error, Message = "Supervision report for unit {UnitId} failed")]
    private static partial void LogUnitFailed(ILogger logger, Guid unitId, Exception ex);
}

/// <summary>Monday 07:00 Asia/Shanghai: last week's supervision reports.</summary>
[DisallowConcurrentExecution]
public sealed class SupervisionReportJob(SupervisionReports reports) : IJob
{
    public static readonly JobKey Key = new("supervision-weekly", "reports");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await reports.SendWeeklyAsync(cancellationToken);
}
