using Microsoft.EntityFrameworkCore;
using VideoLink.Hub.Consultations;
using VideoLink.Hub.Security;
using VideoLink.Hub.Storage;

namespace VideoLink.Hub.Api;

public sealed record WaitingView(Guid Id, Guid SiteId, string? SiteName, DateTime RequestedUtc, int Position, int EstimatedWaitSeconds, bool Ringing);

public sealed record InCallView(Guid Id, Guid SiteId, string? SiteName, DateTime RequestedUtc, Guid ExpertId, string? ExpertName);

public sealed record OnDutyExpertView(Guid Id, string Name, Guid StationSiteId, string? StationName, string Presence, bool OnDuty, bool InCall, bool Ringing);

public sealed record CategoryQueueView(string Code, string Name, IReadOnlyList<WaitingView> Waiting, IReadOnlyList<InCallView> InCall, IReadOnlyList<OnDutyExpertView> Experts);

/// <summary>
/// <c>GET /api/consultations/queues</c>: the live 实时队列 per category for the staff console — the villagers waiting
/// (in queue order), the consultations in progress and the experts serving the category, each under the org-tree rule
/// (a request by its site's path, a call by either side's path, an expert by their station's path).
/// </summary>
internal static class ConsultationQueues
{
    public static async Task<IResult> ListAsync(ConsultationDispatcher dispatcher, ExpertBoard board, OrgScopeAccessor scope, VideoLinkDbContext db, CancellationToken ct)
    {
        var caller = scope.Current;
        var queues = await dispatcher.QueuesAsync().WaitAsync(ct);
        var experts = board.All().Where(e => caller.Covers(e.StationOrgPath)).ToList();
        var everyExpert = board.All().ToDictionary(e => e.Id);

        var siteIds = queues.SelectMany(q => q.Waiting.Select(w => w.SiteId).Concat(q.InCall.Select(c => c.SiteId)))
            .Concat(experts.Select(e => e.StationSiteId)).Distinct().ToList();
        var siteNames = await db.Sites.IgnoreQueryFilters().AsNoTracking().Where(s => siteIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, ct);

        return TypedResults.Ok(queues.Select(q => new CategoryQueueView(
            q.Category,
            q.CategoryName,
            q.Waiting.Where(w => caller.Covers(w.SiteOrgPath))
                .Select(w => new WaitingView(w.Id, w.SiteId, siteNames.GetValueOrDefault(w.SiteId), Utc(w.RequestedUtc), w.Position, w.EstimatedWaitSeconds, w.RingingExpertId is not null))
                .ToList(),
            q.InCall.Where(c => caller.Covers(c.SiteOrgPath) || caller.Covers(c.StationOrgPath))
                .Select(c => new InCallView(c.Id, c.SiteId, siteNames.GetValueOrDefault(c.SiteId), Utc(c.RequestedUtc), c.ExpertId, everyExpert.GetValueOrDefault(c.ExpertId)?.Name))
                .ToList(),
            experts.Where(e => e.Categories.Contains(q.Category))
                // Available first, then Busy, Away; offline experts last.
                .OrderBy(e => e.Presence == ExpertPresence.Offline ? int.MaxValue : (int)e.Presence).ThenBy(e => e.Name, StringComparer.Ordinal)
                .Select(e => new OnDutyExpertView(
                    e.Id, e.Name, e.StationSiteId, siteNames.GetValueOrDefault(e.StationSiteId), e.Presence.ToString(), e.OnDuty, e.CallFor is not null, e.OfferFor is not null))
                .ToList())).ToList());
    }

    private static DateTime Utc(DateTime d) => DateTime.SpecifyKind(d, DateTimeKind.Utc);
}
