using System.Security.Claims;
using Microsoft.AspNetCore.SignalR;
using VideoLink.Hub.Security;
using VideoLink.Hub.Storage.Entities;

namespace VideoLink.Hub.Realtime;

/// <summary>
/// SignalR runs each hub call in its own DI scope, apart from the HTTP request that authenticated the connection.
/// This filter carries the caller's org scope into every call, so hub methods see the same org-tree filter as the API.
/// </summary>
public sealed class OrgScopeHubFilter : IHubFilter
{
    public ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        Apply(invocationContext.Context.User, invocationContext.ServiceProvider);
        return next(invocationContext);
    }

    public Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        Apply(context.Context.User, context.ServiceProvider);
        return next(context);
    }

    public static OrgScope ScopeOf(ClaimsPrincipal? user)
    {
        var id = user?.FindFirstValue(ClaimTypes.NameIdentifier);
        var role = user?.FindFirstValue(ClaimTypes.Role);
        var path = user?.FindFirstValue(BearerAuthenticationHandler.OrgPathClaim);
        if ((user?.FindFirstValue(Stations.AgentAuthenticationHandler.AgentClaim) is not null || user?.FindFirstValue(Consultations.KioskTokens.SiteClaim) is not null) && path is not null)
        {
            return OrgScope.ForSubtree(path);
        }

        return Guid.TryParse(id, out var userId) && Enum.TryParse<Role>(role, out var r) && path is not null
            ? OrgScope.ForUser(userId, r, path)
            : OrgScope.Nobody;
    }

    private static void Apply(ClaimsPrincipal? user, IServiceProvider services) =>
        services.GetRequiredService<OrgScopeAccessor>().Current = ScopeOf(user);
}
