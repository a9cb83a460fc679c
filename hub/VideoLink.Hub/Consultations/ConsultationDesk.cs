using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VideoLink.Hub.Api;
using VideoLink.Hub.Security;
using VideoLink.Hub.Storage;
using VideoLink.Hub.Storage.Entities;

namespace VideoLink.Hub.Consultations;

/// <summary>
/// The desk hardware's side of consultations, fed by the station agent's journal: a call-button press raises a request
/// (identified by a card swiped there just before, if any), the satisfaction keys (满意/一般/不满意) rate the site's last call.
/// </summary>
public sealed partial class ConsultationDesk(
    ConsultationDispatcher dispatcher,
    IServiceScopeFactory scopes,
    IOptions<ConsultationOptions> options,
    TimeProvider clock,
    ILogger<ConsultationDesk> logger)
{
    public async Task OnJournalAsync(Guid siteId, IReadOnlyList<CheckIn> stored, CancellationToken ct)
    {
        foreach (var entry in stored.Where(c => c.Method is CheckInMethod.Button or CheckInMethod.Rating).OrderBy(c => c.DeviceTimeUtc))
        {
            try
            {
                if (entry.Method == CheckInMethod.Button)
                {
                    await RaiseAsync(siteId, entry, ct);
                }
                else
                {
                    await RateAsync(siteId, entry, ct);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The journal entry is stored either way; a failed request is logged, never lost silently.
                LogDeskFailed(logger, entry.Method, siteId, ex);
            }
        }
    }

    private async Task RaiseAsync(Guid siteId, CheckIn press, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<OrgScopeAccessor>().Current = OrgScope.System;
        var db = scope.ServiceProvider.GetRequiredService<VideoLinkDbContext>();
        var site = await db.Sites.AsNoTracking().FirstAsync(s => s.Id == siteId, ct);
        if (site.Kind == SiteKind.ExpertStation)
        {
            return;
        }

        var device = await db.Devices.AsNoTracking().FirstOrDefaultAsync(d => d.SiteId == siteId && d.Code == press.DeviceCode, ct);
        var category = CategoryFor(device?.OptionsJson, press.Detail);
        var since = press.DeviceTimeUtc.AddSeconds(-options.Value.SwipeWindowSeconds);
        var swipe = await db.CheckIns.AsNoTracking()
            .Where(c => c.SiteId == siteId && (c.Method == CheckInMethod.IdCard || c.Method == CheckInMethod.IcCard) && c.DeviceTimeUtc >= since && c.DeviceTimeUtc <= press.DeviceTimeUtc)
            .OrderByDescending(c => c.DeviceTimeUtc).FirstOrDefaultAsync(ct);
        var ticket = await dispatcher.RequestAsync(new NewConsultation(site.Id, site.OrgUnitId, site.OrgPath, category, ConsultationSource.DeskButton, swipe?.PersonHash, swipe?.PersonMasked));
        LogRaised(logger, siteId, category, ticket.Id, ticket.Status);
    }

    /// <summary>Device options <c>{"category":"medical"}</c>, or a key mapped to a category code, else the configured default.</summary>
    private string CategoryFor(string? optionsJson, string? button)
    {
        if (optionsJson is not null)
        {
            try
            {
                using var doc = JsonDocument.Parse(optionsJson);
                if (doc.RootElement.TryGetProperty("category", out var c) && c.GetString() is { } code && dispatcher.IsKnownCategory(code))
                {
                    return code;
                }

                if (button is not null && doc.RootElement.TryGetProperty("keys", out var keys) && keys.ValueKind == JsonValueKind.Object
                    && keys.TryGetProperty(button, out var mapped) && mapped.GetString() is { } m && dispatcher.IsKnownCategory(m))
                {
                    return m;
                }
            }
            catch (JsonException)
            {
                // Malformed options fall back to the default category.
            }
        }

        return button is not null && dispatcher.IsKnownCategory(button) ? button : options.Value.DeskButtonCategory;
    }

    private async Task RateAsync(Guid siteId, CheckIn press, CancellationToken ct)
    {
        var rating = ConsultationFigures.NormaliseRating(press.Detail);
        if (rating is null)
        {
            LogUnknownRating(logger, siteId, press.Detail);
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<OrgScopeAccessor>().Current = OrgScope.System;
        var db = scope.ServiceProvider.GetRequiredService<VideoLinkDbContext>();
        var since = clock.GetUtcNow().UtcDateTime.AddMinutes(-options.Value.RatingWindowMinutes);
        var last = await db.Consultations
            .Where(c => c.SiteId == siteId && c.Outcome == ConsultationOutcome.Answered && c.EndedUtc >= since)
            .OrderByDescending(c => c.EndedUtc).FirstOrDefaultAsync(ct);
        if (last is null)
        {
            LogNothingToRate(logger, siteId);
            return;
        }

        last.Rating = rating;
        last.RatedUtc = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
    }

    [LoggerMessage(EventId = 2120, Level = LogLevel.Information, Message = "Desk call button at site {SiteId}: {Category} consultation {Id} is {Status}")]
    private static partial void LogRaised(ILogger logger, Guid siteId, string category, Guid id, string status);

    [LoggerMessage(EventId = 2121, Level = LogLevel.Warning, Message = "Desk {Method} at site {SiteId} could not be handled")]
    private static partial void LogDeskFailed(ILogger logger, CheckInMethod method, Guid siteId, Exception ex);

    [LoggerMessage(EventId = 2122, Level = LogLevel.Warning, Message = "Satisfaction key at site {SiteId} sent an unknown rating {Rating}")]
    private static partial void LogUnknownRating(ILogger logger, Guid siteId, string? rating);

    [LoggerMessage(EventId = 2123, Level = LogLevel.Information, Message = "Satisfaction key at site {SiteId}: no recent call to rate")]
    private static partial void LogNothingToRate(ILogger logger, Guid siteId);
}
