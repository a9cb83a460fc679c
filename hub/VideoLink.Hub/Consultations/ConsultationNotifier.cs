using Microsoft.AspNetCore.SignalR;
using VideoLink.Hub.Realtime;

namespace VideoLink.Hub.Consultations;

/// <summary>What a kiosk sees of its request, pushed live as <c>consultationUpdated</c>.</summary>
public sealed record ConsultationUpdate(Guid Id, string Status, string? Outcome, int Position, int EstimatedWaitSeconds, Guid? RoomId);

/// <summary>What an expert is offered, pushed as <c>consultationOffered</c> and listed by <c>GET /api/experts/me/offers</c>.</summary>
public sealed record OfferView(Guid Id, Guid OfferId, string Category, Guid SiteId, string? PersonMasked, DateTime RequestedUtc, DateTime OfferedUtc, DateTime ExpiresUtc, Guid? RoomId);

/// <summary>
/// Consultation pushes over the console hub: a kiosk listens on its site's group, an expert on their user's group,
/// staff get <c>consultationChanged</c> through the org tree (the requesting site's and the station's ancestors).
/// </summary>
public sealed partial class ConsultationNotifier(IHubContext<ConsoleHub> hub, OrgTreeBroadcaster broadcaster, ILogger<ConsultationNotifier> logger)
{
    public static string SiteGroup(Guid siteId) => "site:" + siteId.ToString("N");

    public static string UserGroup(Guid userId) => "user:" + userId.ToString("N");

    public void Kiosk(Guid siteId, ConsultationUpdate update) =>
        Fire(hub.Clients.Group(SiteGroup(siteId)).SendAsync("consultationUpdated", update), "consultationUpdated");

    public void Expert(Guid? userId, string method, object payload)
    {
        if (userId is { } id)
        {
            Fire(hub.Clients.Group(UserGroup(id)).SendAsync(method, payload), method);
        }
    }

    public void Staff(string orgPath, string? stationOrgPath, object payload)
    {
        Fire(broadcaster.SendAsync(orgPath, "consultationChanged", payload, CancellationToken.None), "consultationChanged");
        if (stationOrgPath is not null && !orgPath.StartsWith(stationOrgPath, StringComparison.Ordinal))
        {
            Fire(broadcaster.SendAsync(stationOrgPath, "consultationChanged", payload, CancellationToken.None), "consultationChanged");
        }
    }

    // Pushes never hold up the queue: a slow or gone client is logged, not awaited by the dispatcher.
    private void Fire(Task send, string method) => _ = ObserveAsync(send, method);

    private async Task ObserveAsync(Task send, string method)
    {
        try
        {
            await send.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogPushFailed(logger, method, ex);
        }
    }

    [LoggerMessage(EventId = 2150, Level = LogLevel.Warning, Message = "Could not push {Method}")]
    private static partial void LogPushFailed(ILogger logger, string method, Exception ex);
}
