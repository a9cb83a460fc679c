using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using VideoLink.Hub.Security;

namespace VideoLink.Hub.Realtime;

/// <summary>
/// The consoles' live channel (<c>/hubs/console</c>). Each connection joins one group named after the user's own
/// org path; <see cref="OrgTreeBroadcaster"/> sends an event about a row to the groups of that row's path and its
/// ancestors only — so pushes follow the org-tree rule exactly as the REST API does.
/// </summary>
[Authorize(Policy = Policies.Participant)]
public sealed class ConsoleHub(OrgScopeAccessor scope) : Microsoft.AspNetCore.SignalR.Hub
{
    public const string Path = "/hubs/console";

    public override async Task OnConnectedAsync()
    {
        var path = scope.Current.OrgPath;
        if (path is null)
        {
            Context.Abort();
            return;
        }

        // A kiosk hears about its own site's requests only; a user also gets their personal pushes (expert offers).
        var user = Context.User!;
        if (Guid.TryParse(user.FindFirstValue(Consultations.KioskTokens.SiteClaim), out var kioskSite))
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, Consultations.ConsultationNotifier.SiteGroup(kioskSite), Context.ConnectionAborted);
            await base.OnConnectedAsync();
            return;
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, OrgTreeBroadcaster.GroupFor(path), Context.ConnectionAborted);
        if (scope.Current.UserId is { } userId)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, Consultations.ConsultationNotifier.UserGroup(userId), Context.ConnectionAborted);
        }

        await base.OnConnectedAsync();
    }
}

/// <summary>Sends console events to everyone whose subtree contains the row (the row's unit and its ancestors).</summary>
public sealed class OrgTreeBroadcaster(IHubContext<ConsoleHub> hub)
{
    public static string GroupFor(string orgPath) => "org:" + orgPath;

    /// <summary>"/a/b/c/" → "/a/", "/a/b/", "/a/b/c/".</summary>
    public static IEnumerable<string> SelfAndAncestors(string orgPath)
    {
        for (var i = orgPath.IndexOf('/', 1); i > 0; i = orgPath.IndexOf('/', i + 1))
        {
            yield return orgPath[..(i + 1)];
        }
    }

    public Task SendAsync(string orgPath, string method, object payload, CancellationToken cancellationToken) =>
        hub.Clients.Groups(SelfAndAncestors(orgPath).Select(GroupFor).ToList()).SendAsync(method, payload, cancellationToken);
}
