using System.Collections.Concurrent;

namespace VideoLink.Sip.Registrar;

/// <summary>A SIP account as the directory knows it (an endpoint of kind Sip).</summary>
/// <param name="User">The SIP user name (user part of the address of record).</param>
/// <param name="Password">The digest password, or null when only the HA1 values are known (the hub stores no passwords).</param>
/// <param name="DisplayName">Shown to the called party.</param>
public sealed record SipAccount(string User, string? Password, string? DisplayName = null)
{
    /// <summary>MD5(user:realm:password), used when <see cref="Password"/> is null.</summary>
    public string? Ha1Md5 { get; init; }

    /// <summary>SHA-256(user:realm:password), used when <see cref="Password"/> is null.</summary>
    public string? Ha1Sha256 { get; init; }
}

/// <summary>
/// Where the SIP stack looks up credentials. The hub implements it from its database; lookups may be
/// asynchronous and are made once per authenticated request.
/// </summary>
public interface ISipAccountDirectory
{
    /// <summary>Finds an account by SIP user name (case-sensitive per RFC 3261 §19.1.4), or null.</summary>
    ValueTask<SipAccount?> FindAsync(string user, CancellationToken cancellationToken);
}

/// <summary>An in-memory directory for tests and small set-ups.</summary>
public sealed class InMemorySipAccountDirectory : ISipAccountDirectory
{
    private readonly ConcurrentDictionary<string, SipAccount> _accounts = new(StringComparer.Ordinal);

    public InMemorySipAccountDirectory(params IEnumerable<SipAccount> accounts)
    {
        foreach (var a in accounts)
        {
            Set(a);
        }
    }

    public void Set(SipAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        _accounts[account.User] = account;
    }

    public bool Remove(string user) => _accounts.TryRemove(user, out _);

    public ValueTask<SipAccount?> FindAsync(string user, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_accounts.TryGetValue(user, out var a) ? a : null);
}
