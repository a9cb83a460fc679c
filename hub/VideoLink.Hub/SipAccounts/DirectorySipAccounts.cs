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
/// empties, so a changed password or a deleted endpoint takes effect at once on this node. Database reads run on the
/// thread pool: the SIP stack calls this on its UDP receive loops, and SQLite's "async" calls run synchronously.
/// </summary>
public sealed partial class DirectorySipAccounts(IServiceScopeFactory scopes, SipAccountCache cache, ILogger<DirectorySipAccounts> logger) : ISipAccountDirectory
{
    public ValueTask<SipAccount?> FindAsync(string user, CancellationToken cancellationToken)
    {
        switch (cache.Lookup(user, out var account))
        {
            case SipAccountCacheState.Fresh:
                return ValueTask.FromResult(account);
            case SipAccountCacheState.Stale:
                if (cache.BeginRefresh(user))
                {
                    _ = RefreshAsync(user); // fire-and-forget: the aged entry answers meanwhile; failures are logged inside
                }
                return ValueTask.FromResult(account);
            default:
                return LoadAsync(user, cancellationToken);
        }
    }

    private async ValueTask<SipAccount?> LoadAsync(string user, CancellationToken cancellationToken)
    {
        var generation = cache.Generation;
        var (account, endpointId) = await Task.Run(() => ReadAsync(user, cancellationToken), cancellationToken);
        cache.Store(user, account, generation, endpointId);
        return account;
    }

    private async Task RefreshAsync(string user)
    {
        try
        {
            await LoadAsync(user, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogRefreshFailed(logger, user, ex);
        }
        finally
        {
            cache.EndRefresh(user);
        }
    }

    private async Task<(SipAccount? Account, Guid? EndpointId)> ReadAsync(string user, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<OrgScopeAccessor>().Current = OrgScope.System;
        var db = scope.ServiceProvider.GetRequiredService<VideoLinkDbContext>();
        var endpoint = await db.Endpoints.AsNoTracking()
            .FirstOrDefaultAsync(e => e.SipUser == user && e.Kind == EndpointKind.Sip, cancellationToken);
        return endpoint is null
            ? (null, null)
            : (new SipAccount(user, null, endpoint.DisplayName) { Ha1Md5 = endpoint.SipHa1Md5, Ha1Sha256 = endpoint.SipHa1Sha256 }, endpoint.Id);
    }

    [LoggerMessage(EventId = 1702, Level = LogLevel.Warning, Message = "Could not refresh SIP account {User}; the cached one stays in use until it ages out")]
    private static partial void LogRefreshFailed(ILogger logger, string user, Exception ex);
}

/// <summary>
/// Mirrors SIP registrations into <see cref="Presence"/> (directory API and console pushes). Changes are raised on the
/// SIP receive loops; they go through a queue to one reader, so the loops never wait for the database (SQLite runs
/// "async" queries synchronously) and one phone's online/offline changes are applied in order. The endpoint comes from
/// <see cref="SipAccountCache"/> when it is there (it is for every account that just authenticated), else from the database.
/// </summary>
public sealed partial class SipPresenceBridge(VideoLink.Sip.SipServer sip, Presence presence, SipAccountCache cache, IServiceScopeFactory scopes, ILogger<SipPresenceBridge> logger) : IHostedService
{
    private readonly System.Threading.Channels.Channel<(string User, bool Online)> _changes =
        System.Threading.Channels.Channel.CreateUnbounded<(string User, bool Online)>(new() { SingleReader = true });
    private Task _reader = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _reader = Task.Run(ReadChangesAsync, CancellationToken.None);
        sip.RegistrationChanged += OnRegistrationChanged;
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        sip.RegistrationChanged -= OnRegistrationChanged;
        _changes.Writer.TryComplete();
        await _reader.WaitAsync(cancellationToken);
    }

    private void OnRegistrationChanged(object? sender, SipRegistrationChangedEventArgs e) => _changes.Writer.TryWrite((e.User, e.IsOnline));

    private async Task ReadChangesAsync()
    {
        await foreach (var (user, online) in _changes.Reader.ReadAllAsync())
        {
            await UpdateAsync(user, online);
        }
    }

    private async Task UpdateAsync(string user, bool online)
    {
        if (cache.TryGetEndpointId(user, out var cached))
        {
            presence.SetEndpoint(cached, online); // the account was just authenticated from the cache: no database read
            return;
        }
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
