using VideoLink.Hub.Storage;

namespace VideoLink.Hub.Security;

/// <summary>Background work (media plane, scheduler, SIP) has no user: it reads and writes with the system org scope.</summary>
public static class SystemScopes
{
    /// <summary>A DI scope whose org scope is <see cref="OrgScope.System"/>, with its database context.</summary>
    public static AsyncServiceScope CreateSystemScope(this IServiceScopeFactory scopes, out VideoLinkDbContext db)
    {
        var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<OrgScopeAccessor>().Current = OrgScope.System;
        db = scope.ServiceProvider.GetRequiredService<VideoLinkDbContext>();
        return scope;
    }
}
