using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using VideoLink.Hub.Storage.Entities;
using VideoLink.Sip.Registrar;

namespace VideoLink.Hub.SipAccounts;

/// <summary>How fresh a cached look-up is.</summary>
public enum SipAccountCacheState
{
    /// <summary>Not cached, or too old to use: read the database before answering.</summary>
    Missing,
    /// <summary>Younger than its lifetime: use it.</summary>
    Fresh,
    /// <summary>Past its lifetime but within the grace period: use it, and refresh it in the background.</summary>
    Stale,
}

/// <summary>
/// The digest HA1 values of SIP accounts, kept in memory so an authenticated REGISTER or INVITE does not cost a
/// database round trip. Any saved change to endpoints, sites or org units empties the cache at once (see
/// <see cref="SipAccountChangeInterceptor"/>); entries also age out after <see cref="FoundLifetime"/> so a change made
/// by another hub node (shared PostgreSQL) is seen within that time. An aged entry is still served for
/// <see cref="StaleGrace"/> while one background read refreshes it, so phones that registered together do not all
/// wait for the database together when their entries age out together. Unknown users are remembered briefly, so a
/// flood of guesses does not reach the database either.
/// </summary>
public sealed class SipAccountCache(TimeProvider clock)
{
    public static readonly TimeSpan FoundLifetime = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan MissingLifetime = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan StaleGrace = TimeSpan.FromSeconds(60);
    public const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _refreshing = new(StringComparer.Ordinal);
    private long _generation;

    /// <summary>The generation to pass to <see cref="Store"/>; read it before loading from the database.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public bool TryGet(string user, out SipAccount? account) => Lookup(user, out account) == SipAccountCacheState.Fresh;

    public SipAccountCacheState Lookup(string user, out SipAccount? account)
    {
        account = null;
        if (!_entries.TryGetValue(user, out var entry))
        {
            return SipAccountCacheState.Missing;
        }
        long now = clock.GetTimestamp();
        if (now < entry.ExpiresAt)
        {
            account = entry.Account;
            return SipAccountCacheState.Fresh;
        }
        if (now < entry.ExpiresAt + Ticks(StaleGrace))
        {
            account = entry.Account;
            return SipAccountCacheState.Stale;
        }
        return SipAccountCacheState.Missing;
    }

    /// <summary>True for the one caller that should refresh <paramref name="user"/>; it calls <see cref="EndRefresh"/> after.</summary>
    public bool BeginRefresh(string user) => _refreshing.TryAdd(user, 0);

    public void EndRefresh(string user) => _refreshing.TryRemove(user, out _);

    /// <summary>Stores a look-up result unless the cache was emptied since <paramref name="generation"/> was read.</summary>
    public void Store(string user, SipAccount? account, long generation, Guid? endpointId = null)
    {
        if (generation != Generation || (_entries.Count >= MaxEntries && !_entries.ContainsKey(user)))
        {
            return;
        }

        var lifetime = account is null ? MissingLifetime : FoundLifetime;
        _entries[user] = new Entry(account, clock.GetTimestamp() + Ticks(lifetime), endpointId);
        if (generation != Generation)
        {
            _entries.TryRemove(user, out _);
        }
    }

    /// <summary>Raised after every <see cref="Clear"/> (on the saving thread): <see cref="SipAccountCacheLoader"/> reloads.</summary>
    public event Action? Cleared;

    public void Clear()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
        Cleared?.Invoke();
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * clock.TimestampFrequency);

    /// <summary>The endpoint behind a cached account, whatever the entry's age (for presence, without a database read).</summary>
    public bool TryGetEndpointId(string user, out Guid endpointId)
    {
        endpointId = _entries.TryGetValue(user, out var entry) && entry.EndpointId is { } id ? id : Guid.Empty;
        return endpointId != Guid.Empty;
    }

    private sealed record Entry(SipAccount? Account, long ExpiresAt, Guid? EndpointId);
}

/// <summary>Empties <see cref="SipAccountCache"/> around every save that touches endpoints, sites or org units.</summary>
public sealed class SipAccountChangeInterceptor(SipAccountCache cache) : SaveChangesInterceptor
{
    // Contexts whose current save touches accounts: cleared again once that save has committed.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbContext, object> _touching = new();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        ClearIfAccountsChange(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        ClearIfAccountsChange(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        ClearAfterCommit(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        ClearAfterCommit(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => ClearAfterCommit(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        ClearAfterCommit(eventData.Context);
        return Task.CompletedTask;
    }

    // Again after the commit: a look-up that read the old row between the first clear and the commit is dropped.
    private void ClearAfterCommit(DbContext? context)
    {
        if (context is not null && _touching.Remove(context))
        {
            cache.Clear();
        }
    }

    private void ClearIfAccountsChange(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted
                && entry.Entity is SiteEndpoint or Site or OrgUnit)
            {
                _touching.AddOrUpdate(context, this);
                cache.Clear();
                return;
            }
        }
    }
}
