using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VideoLink.Hub.Storage;
using VideoLink.Hub.Storage.Entities;

namespace VideoLink.Hub.Security;

public enum LoginOutcome
{
    Success,
    InvalidCredentials,
    LockedOut,
}

/// <summary>Checks a username and password; after repeated failures the account is locked for a while.</summary>
public sealed partial class LoginService(
    VideoLinkDbContext db,
    OrgScopeAccessor accessor,
    IPasswordHasher<User> hasher,
    BearerTokens tokens,
    IOptions<AuthOptions> options,
    TimeProvider clock,
    ILogger<LoginService> logger)
{
    public async Task<(LoginOutcome Outcome, string? Token, User? User)> LoginAsync(string username, string password, CancellationToken ct)
    {
        // Login runs before anyone is known, so it looks across the whole district (and only at Users).
        var user = await db.Users.IgnoreQueryFilters().FirstOrDefaultAsync(u => u.Username == username, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (user is null)
        {
            // Spend the same effort as a real check so timing does not reveal which usernames exist.
            hasher.VerifyHashedPassword(new User { Username = username, PasswordHash = "", DisplayName = "", OrgPath = "" }, DummyHash, password);
            LogFailed(logger, "unknown user");
            return (LoginOutcome.InvalidCredentials, null, null);
        }

        if (user.LockedUntilUtc is { } until && until > now)
        {
            LogLocked(logger, user.Id);
            return (LoginOutcome.LockedOut, null, null);
        }

        var result = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (result == PasswordVerificationResult.Failed)
        {
            user.FailedLogins++;
            if (user.FailedLogins >= options.Value.LockoutThreshold)
            {
                user.LockedUntilUtc = now.AddMinutes(options.Value.LockoutMinutes);
                user.FailedLogins = 0;
                LogLocked(logger, user.Id);
            }

            await SaveAsSystemAsync(ct);
            LogFailed(logger, "wrong password");
            return (LoginOutcome.InvalidCredentials, null, null);
        }

        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = hasher.HashPassword(user, password);
        }

        user.FailedLogins = 0;
        user.LockedUntilUtc = null;
        await SaveAsSystemAsync(ct);
        return (LoginOutcome.Success, tokens.Issue(user.Id, user.Username), user);
    }

    private static readonly string DummyHash = new PasswordHasher<User>().HashPassword(
        new User { Username = "-", PasswordHash = "", DisplayName = "", OrgPath = "" }, Guid.NewGuid().ToString());

    private async Task SaveAsSystemAsync(CancellationToken ct)
    {
        // The caller is anonymous; the login bookkeeping on this one row is the system's own write.
        var previous = accessor.Current;
        accessor.Current = OrgScope.System;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        finally
        {
            accessor.Current = previous;
        }
    }

    [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "Login failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Warning, Message = "User {UserId} is locked out after repeated failed logins")]
    private static partial void LogLocked(ILogger logger, Guid userId);
}
