using Microsoft.EntityFrameworkCore;
using VideoLink.Hub.Organisation;
using VideoLink.Hub.Security;
using VideoLink.Hub.Storage;
using VideoLink.Hub.Storage.Entities;
using VideoLink.Sip.Registrar;

namespace VideoLink.Hub.SipAccounts;

/// <summary>
/// The SIP stack's account directory, read from the hub's endpoints (kind Sip). Only the digest HA1 values are handed
/// over; the stack never sees a password. Served from <see cref="SipAccountCache"/>, which every saved endpoint change
/// empties, so a changed password or a deleted endpoint takes effect at once on this node.
/// </summary>
public sealed class DirectorySipAccounts(IServiceScopeFactory scopes, SipAccountCache cache) : ISipAccountDirectory
{
    public ValueTask<SipAccount?> FindAsync(string user, CancellationToken cancellationToken) =>
        cache.TryGet(user, out var account) ? ValueTask.FromResult(account) : LoadAsync(user, cancellationToken);

    private async ValueTask<SipAccount?> LoadAsync(string user, CancellationToken cancellationToken)
    {
        var generation = cache.Generation;
        var account = await ReadAsync(user, cancellationToken);
        cache.Store(user, account, generation);
        return account;
    }

    private async Task<SipAccount?> ReadAsync(string user, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<OrgScopeAccessor>().Current = OrgScope.System;
        var db = scope.ServiceProvider.GetRequiredService<VideoLinkDbContext>();
        var endpoint = await db.Endpoints.AsNoTracking()
            .FirstOrDefaultAsync(e => e.SipUser == user && e.Kind == EndpointKind.Sip, cancellationToken);
        return endpoint is null
            ? null
            : new SipAccount(user, null, endpoint.DisplayName) { Ha1Md5 = endpoint.SipHa1Md5, Ha1Sha256 = endpoint.SipHa1Sha256 };
    }
}

/// <summary>Mirrors SIP registrations into <see cref="Presence"/> (directory API and console pushes).</summary>
public sealed partial class SipPresenceBridge(VideoLink.Sip.SipServer sip, Presence presence, IServiceScopeFactory scopes, ILogger<SipPresenceBridge> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        sip.RegistrationChanged += OnRegistrationChanged;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        sip.RegistrationChanged -= OnRegistrationChanged;
        return Task.CompletedTask;
    }

    // Raised on the SIP receive loop; the database look-up runs apart so the loop never waits for it.
    private void OnRegistrationChanged(object? sender, SipRegistrationChangedEventArgs e) => _ = UpdateAsync(e.User, e.IsOnline);

    private async Task UpdateAsync(string user, bool online)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<OrgScopeAccessor>().Current = OrgScope.System;
            var db = scope.ServiceProvider.GetRequiredService<VideoLinkDbContext>();
            var id = await db.Endpoints.Where(x => x.SipUser == user).Select(x => (Guid?)x.Id).FirstOrDefaultAsync();
            if (id is { } endpointId)
            {
                presence.SetEndpoint(endpointId, online);
            }
        }
        catch (Exception ex)
        {
            LogFailed(logger, user, ex);
        }
    }

    [LoggerMessage(EventId = 1701, Level = LogLevel.Warning, Message = "Could not update presence of SIP user {User}")]
    private static partial void LogFailed(ILogger logger, string user, Exception ex);
}
