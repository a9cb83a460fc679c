using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using VideoLink.Hub.Organisation;
using VideoLink.Hub.Security;
using VideoLink.Hub.Storage;

namespace VideoLink.Hub.Realtime;

/// <summary>Pushes site and endpoint online/offline changes to the consoles allowed to see them.</summary>
public sealed partial class PresenceNotifier(
    Presence presence,
    OrgTreeBroadcaster broadcaster,
    IServiceScopeFactory scopes,
    ILogger<PresenceNotifier> logger) : IHostedService
{
    private readonly ConcurrentDictionary<(string Table, Guid Id), string> _paths = new();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        presence.SiteChanged += OnSiteChanged;
        presence.EndpointChanged += OnEndpointChanged;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        presence.SiteChanged -= OnSiteChanged;
        presence.EndpointChanged -= OnEndpointChanged;
        return Task.CompletedTask;
    }

    // Presence events come from socket loops; the push runs on its own so a slow console never stalls them.
    private void OnSiteChanged(Guid siteId, bool online) => _ = PushAsync("site", siteId, "siteOnline", online);

    private void OnEndpointChanged(Guid endpointId, bool online) => _ = PushAsync("endpoint", endpointId, "endpointOnline", online);

    private async Task PushAsync(string table, Guid id, string method, bool online)
    {
        try
        {
            var path = await PathAsync(table, id);
            if (path is not null)
            {
                await broadcaster.SendAsync(path, method, new { id, online }, CancellationToken.None);
            }
        }
        catch (Exception ex)
        {
            LogPushFailed(logger, method, id, ex);
        }
    }

    private async Task<string?> PathAsync(string table, Guid id)
    {
        if (_paths.TryGetValue((table, id), out var cached))
        {
            return cached;
        }

        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<OrgScopeAccessor>().Current = OrgScope.System;
        var db = scope.ServiceProvider.GetRequiredService<VideoLinkDbContext>();
        var path = table == "site"
            ? await db.Sites.Where(s => s.Id == id).Select(s => s.OrgPath).FirstOrDefaultAsync()
            : await db.Endpoints.Where(e => e.Id == id).Select(e => e.OrgPath).FirstOrDefaultAsync();
        if (path is not null)
        {
            _paths[(table, id)] = path;
        }

        return path;
    }

    [LoggerMessage(EventId = 1501, Level = LogLevel.Warning, Message = "Could not push {Method} for {Id}")]
    private static partial void LogPushFailed(ILogger logger, string method, Guid id, Exception ex);
}
