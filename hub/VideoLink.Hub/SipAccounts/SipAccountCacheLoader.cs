using Microsoft.EntityFrameworkCore;
using VideoLink.Hub.Security;
using VideoLink.Hub.Storage.Entities;
using VideoLink.Sip.Registrar;

namespace VideoLink.Hub.SipAccounts;

/// <summary>
/// Fills <see cref="SipAccountCache"/> with every SIP account in one query: at start and again after each saved change
/// empties it. Without this each account costs one database read the first time it registers, and a district of
/// phones coming back after an outage (or after an administrator's edit) queues thousands of reads behind the
/// registrations. It also reloads every <see cref="ReloadInterval"/> (half the entries' lifetime), so known accounts never
/// age out together and changes made on another hub node arrive. Several changes in a row cause at most one extra
/// load; a load that read before the last change stores nothing (the cache's generation moved) and is repeated.
/// </summary>
public sealed partial class SipAccountCacheLoader(IServiceScopeFactory scopes, SipAccountCache cache, TimeProvider time, ILogger<SipAccountCacheLoader> logger) : IHostedService, IDisposable
{
    public static readonly TimeSpan ReloadInterval = SipAccountCache.FoundLifetime / 2;

    private readonly CancellationTokenSource _stopping = new();
    private ITimer? _reload;
    private int _state; // 0 idle, 1 loading, 2 loading and asked to load again
    private int _disposed;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        cache.Cleared += RequestLoad;
        RequestLoad();
        _reload = time.CreateTimer(static s => ((SipAccountCacheLoader)s!).RequestLoad(), this, ReloadInterval, ReloadInterval);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        cache.Cleared -= RequestLoad;
        if (_reload is not null)
        {
            await _reload.DisposeAsync();
        }

        // A host stopped a second time (a test stopping its hub, then disposing it) finds the loader disposed already.
        if (Volatile.Read(ref _disposed) == 0)
        {
            await _stopping.CancelAsync();
        }
    }

    private void RequestLoad()
    {
        while (true)
        {
            int state = Volatile.Read(ref _state);
            if (state == 2)
            {
                return;
            }
            if (Interlocked.CompareExchange(ref _state, state + 1, state) == state)
            {
                if (state == 0)
                {
                    _ = Task.Run(LoadUntilCurrentAsync); // fire-and-forget: failures are logged inside; look-ups fall back to single reads
                }
                return;
            }
        }
    }

    private async Task LoadUntilCurrentAsync()
    {
        do
        {
            Volatile.Write(ref _state, 1);
            try
            {
                int count = await LoadAllAsync(_stopping.Token);
                LogLoaded(logger, count);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogFailed(logger, ex);
            }
        }
        while (Interlocked.CompareExchange(ref _state, 0, 1) != 1);
    }

    private async Task<int> LoadAllAsync(CancellationToken cancellationToken)
    {
        long generation = cache.Generation;
        await using var scope = scopes.CreateSystemScope(out var db);
        var rows = await db.Endpoints.AsNoTracking()
            .Where(e => e.Kind == EndpointKind.Sip && e.SipUser != null)
            .Select(e => new { e.Id, e.SipUser, e.DisplayName, e.SipHa1Md5, e.SipHa1Sha256 })
            .ToListAsync(cancellationToken);
        foreach (var row in rows)
        {
            cache.Store(row.SipUser!, new SipAccount(row.SipUser!, null, row.DisplayName) { Ha1Md5 = row.SipHa1Md5, Ha1Sha256 = row.SipHa1Sha256 }, generation, row.Id);
        }
        return rows.Count;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _reload?.Dispose();
        _stopping.Cancel();
        _stopping.Dispose();
    }

    [LoggerMessage(EventId = 1703, Level = LogLevel.Debug, Message = "SIP account cache loaded with {Count} accounts")]
    private static partial void LogLoaded(ILogger logger, int count);

    [LoggerMessage(EventId = 1704, Level = LogLevel.Warning, Message = "Could not load the SIP account cache; accounts are read one by one meanwhile")]
    private static partial void LogFailed(ILogger logger, Exception ex);
}
