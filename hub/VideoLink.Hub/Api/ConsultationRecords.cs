using System.Globalization;
using Microsoft.EntityFrameworkCore;
using VideoLink.Hub.Storage;
using VideoLink.Hub.Storage.Entities;

namespace VideoLink.Hub.Api;

/// <summary>Wait, talk and satisfaction as the records and the statistics compute them.</summary>
public static class ConsultationFigures
{
    /// <summary>Request to answer; for a request nobody answered, request to its end.</summary>
    public static double? WaitSeconds(Consultation c) =>
        (c.AnsweredUtc ?? c.EndedUtc) is { } until ? Math.Round((until - c.RequestedUtc).TotalSeconds, 3) : null;

    public static double? TalkSeconds(Consultation c) =>
        c.AnsweredUtc is { } a && c.EndedUtc is { } e ? Math.Round((e - a).TotalSeconds, 3) : null;

    /// <summary>满意 / 一般 / 不满意, also from the ASCII words the desk keys or other tools may send.</summary>
    public static string? NormaliseRating(string? value) => value?.Trim() switch
    {
        "满意" or "satisfied" => "满意",
        "一般" or "neutral" => "一般",
        "不满意" or "dissatisfied" => "不满意",
        _ => null,
    };

    /// <summary>The p-th percentile (nearest rank) of a sorted list.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
}

public sealed record StatsGroup(string Key, string? Name, int Total, int Answered, int Abandoned, int Callback, int NoExpert, int Failed);

public sealed record ConsultationStats(
    DateTime? From, DateTime? To, int Total, int Answered, int Abandoned, int Callback, int OpenCallbacks, int Open,
    double AnswerRate, double MeanWaitSeconds, double P90WaitSeconds, double MeanTalkSeconds, int Rated, double SatisfactionRate,
    IReadOnlyList<StatsGroup> ByCategory, IReadOnlyList<StatsGroup> ByStation, IReadOnlyList<StatsGroup> ByTownship, IReadOnlyList<StatsGroup> ByPeriod)
{
    /// <summary>How many rated 满意, 一般 and 不满意 (the satisfaction shares).</summary>
    public IReadOnlyDictionary<string, int>? Ratings { get; init; }
}

/// <summary><c>GET /api/consultations</c> and <c>/stats</c>: the records under the org-tree rule, and the figures reported upward.</summary>
internal static class ConsultationRecords
{
    public const int MaxStatsRows = 200_000;

    private sealed record Filter(DateTime? From, DateTime? To, string? Category, Guid? StationId, Guid? SiteId, ConsultationOutcome? Outcome, bool? CallbackOpen);

    private static (Filter? Filter, IResult? Problem) Parse(DateTime? from, DateTime? to, string? category, Guid? stationId, Guid? siteId, string? outcome, bool? callbackOpen)
    {
        ConsultationOutcome parsed = default;
        var check = new Validation()
            .Require(outcome is null || Enum.TryParse(outcome, ignoreCase: true, out parsed), "outcome", "Answered, Abandoned, NoExpert, Callback or Failed")
            .Require(from is null || to is null || from <= to, "to", "must not be before from")
            .Require(category is null || category.Length <= 32, "category", "at most 32 characters");
        return check.IsValid
            ? (new Filter(from?.ToUniversalTime(), to?.ToUniversalTime(), category, stationId, siteId, outcome is null ? null : parsed, callbackOpen), null)
            : (null, check.Problem());
    }

    private static IQueryable<Consultation> Apply(IQueryable<Consultation> q, Filter f)
    {
        if (f.From is { } from)
        {
            q = q.Where(c => c.RequestedUtc >= from);
        }

        if (f.To is { } to)
        {
            q = q.Where(c => c.RequestedUtc < to);
        }

        if (f.Category is { } category)
        {
            q = q.Where(c => c.CategoryCode == category);
        }

        if (f.StationId is { } station)
        {
            q = q.Where(c => c.StationSiteId == station);
        }

        if (f.SiteId is { } site)
        {
            q = q.Where(c => c.SiteId == site);
        }

        if (f.Outcome is { } outcome)
        {
            q = q.Where(c => c.Outcome == outcome);
        }

        if (f.CallbackOpen is { } open)
        {
            q = open
                ? q.Where(c => c.Outcome == ConsultationOutcome.Callback && c.CallbackClosedUtc == null)
                : q.Where(c => c.Outcome == ConsultationOutcome.Callback && c.CallbackClosedUtc != null);
        }

        return q;
    }

    /// <summary>
    /// <c>?from&amp;to&amp;category&amp;stationId&amp;siteId&amp;orgUnitId&amp;expertId&amp;outcome&amp;callbackOpen&amp;limit&amp;offset</c>, newest
    /// first; the number of matching records is in the <c>X-Total-Count</c> header so the console can page.
    /// </summary>
    public static async Task<IResult> ListAsync(
        VideoLinkDbContext db, HttpContext http, DateTime? from, DateTime? to, string? category, Guid? stationId, Guid? siteId, Guid? orgUnitId, Guid? expertId,
        string? outcome, bool? callbackOpen, int? limit, int? offset, CancellationToken ct)
    {
        var (filter, problem) = Parse(from, to, category, stationId, siteId, outcome, callbackOpen);
        if (problem is not null)
        {
            return problem;
        }

        var check = new Validation().Require(limit is null or (>= 1 and <= 1000), "limit", "1 to 1000").Require(offset is null or >= 0, "offset", "0 or more");
        if (!check.IsValid)
        {
            return check.Problem();
        }

        var query = Apply(db.Consultations.AsNoTracking(), filter!);
        if (orgUnitId is { } unit)
        {
            // Paths are "/{id:N}/{id:N}/…/": a unit's records are those whose requesting site lies under it.
            var segment = "/" + unit.ToString("N") + "/";
            query = query.Where(c => c.OrgPath.Contains(segment));
        }

        if (expertId is { } expert)
        {
            query = query.Where(c => c.ExpertId == expert);
        }

        http.Response.Headers["X-Total-Count"] = (await query.CountAsync(ct)).ToString(CultureInfo.InvariantCulture);
        var rows = await query.OrderByDescending(c => c.Sequence).Skip(offset ?? 0).Take(limit ?? 200).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(c => ConsultationView.From(c)).ToList());
    }

    /// <summary>Counts per category, station, township and period (<c>?period=day|week|month</c>), answer rate, wait, talk, satisfaction.</summary>
    public static async Task<IResult> StatsAsync(
        VideoLinkDbContext db, DateTime? from, DateTime? to, string? category, Guid? stationId, Guid? siteId, string? outcome, string? period, CancellationToken ct)
    {
        var (filter, problem) = Parse(from, to, category, stationId, siteId, outcome, null);
        if (problem is not null)
        {
            return problem;
        }

        var check = new Validation().Require(period is null or "day" or "week" or "month", "period", "day, week or month");
        if (!check.IsValid)
        {
            return check.Problem();
        }

        var rows = await Apply(db.Consultations.AsNoTracking(), filter!).OrderBy(c => c.Sequence).Take(MaxStatsRows).ToListAsync(ct);
        var categoryNames = await db.ServiceCategories.AsNoTracking().ToDictionaryAsync(c => c.Code, c => c.Name, ct);
        var stationIds = rows.Where(r => r.StationSiteId is not null).Select(r => r.StationSiteId!.Value).Distinct().ToList();
        var stationNames = await db.Sites.IgnoreQueryFilters().AsNoTracking().Where(s => stationIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var townshipKeys = rows.Select(r => Township(r.OrgPath)).Where(k => k is not null).Distinct().ToList();
        var units = await db.OrgUnits.IgnoreQueryFilters().AsNoTracking().Where(u => u.Depth <= 2).Select(u => new { u.Id, u.Name }).ToListAsync(ct);
        var townshipNames = units.ToDictionary(u => u.Id.ToString("N"), u => u.Name);

        var closed = rows.Where(r => r.Outcome is not null).ToList();
        var answered = rows.Where(r => r.AnsweredUtc is not null).ToList();
        var waits = answered.Select(r => ConsultationFigures.WaitSeconds(r)!.Value).Order().ToList();
        var talks = answered.Select(ConsultationFigures.TalkSeconds).Where(t => t is not null).Select(t => t!.Value).ToList();
        var rated = rows.Where(r => r.Rating is not null).ToList();
        var periodKey = period ?? "day";

        return TypedResults.Ok(new ConsultationStats(
            filter!.From, filter.To, rows.Count,
            rows.Count(r => r.Outcome == ConsultationOutcome.Answered),
            rows.Count(r => r.Outcome == ConsultationOutcome.Abandoned),
            rows.Count(r => r.Outcome == ConsultationOutcome.Callback),
            rows.Count(r => r.Outcome == ConsultationOutcome.Callback && r.CallbackClosedUtc is null),
            rows.Count(r => r.Outcome is null),
            closed.Count == 0 ? 0 : Math.Round(closed.Count(r => r.Outcome == ConsultationOutcome.Answered) / (double)closed.Count, 4),
            waits.Count == 0 ? 0 : Math.Round(waits.Average(), 3),
            Math.Round(ConsultationFigures.Percentile(waits, 90), 3),
            talks.Count == 0 ? 0 : Math.Round(talks.Average(), 3),
            rated.Count,
            rated.Count == 0 ? 0 : Math.Round(rated.Count(r => r.Rating == "满意") / (double)rated.Count, 4),
            Group(rows, r => r.CategoryCode, k => categoryNames.GetValueOrDefault(k)),
            Group(rows.Where(r => r.StationSiteId is not null), r => r.StationSiteId!.Value.ToString(), k => stationNames.GetValueOrDefault(Guid.Parse(k))),
            Group(rows.Where(r => Township(r.OrgPath) is not null), r => Township(r.OrgPath)!, k => townshipNames.GetValueOrDefault(k)),
            Group(rows, r => PeriodOf(r.RequestedUtc, periodKey), _ => null))
        {
            Ratings = ConsultationsApi.Ratings.ToDictionary(r => r, r => rated.Count(x => x.Rating == r), StringComparer.Ordinal),
        });
    }

    private static List<StatsGroup> Group(IEnumerable<Consultation> rows, Func<Consultation, string> key, Func<string, string?> name) =>
        rows.GroupBy(key, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new StatsGroup(
            g.Key, name(g.Key), g.Count(),
            g.Count(r => r.Outcome == ConsultationOutcome.Answered),
            g.Count(r => r.Outcome == ConsultationOutcome.Abandoned),
            g.Count(r => r.Outcome == ConsultationOutcome.Callback),
            g.Count(r => r.Outcome == ConsultationOutcome.NoExpert),
            g.Count(r => r.Outcome == ConsultationOutcome.Failed))).ToList();

    /// <summary>"/district/township/village/" → the township's id ("N" form), the second level of the tree.</summary>
    private static string? Township(string orgPath)
    {
        var parts = orgPath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 ? parts[1] : null;
    }

    private static string PeriodOf(DateTime utc, string period) => period switch
    {
        "month" => utc.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        "week" => $"{ISOWeek.GetYear(utc)}-W{ISOWeek.GetWeekOfYear(utc):D2}",
        _ => utc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    };
}
