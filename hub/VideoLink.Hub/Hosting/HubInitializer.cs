using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VideoLink.Hub.Health;
using VideoLink.Hub.Security;
using VideoLink.Hub.Seeding;
using VideoLink.Hub.Storage;
using VideoLink.Hub.Storage.Entities;

namespace VideoLink.Hub.Hosting;

/// <summary>
/// Runs before the hub takes requests: migrate the database, load the district seed (first start, or --seed),
/// create the first administrator. A bad seed stops the start with the loader's message.
/// </summary>
public sealed partial class HubInitializer(
    IServiceScopeFactory scopes,
    IOptions<HubOptions> options,
    IOptions<AuthOptions> auth,
    Readiness readiness,
    IHostEnvironment environment,
    ILogger<HubInitializer> logger) : IHostedService
{
    public const string SampleSeedFile = "sample-district.json";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<OrgScopeAccessor>().Current = OrgScope.System;
            await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
            var seed = ResolveSeedFile();
            if (seed is not null)
            {
                await scope.ServiceProvider.GetRequiredService<SeedLoader>().LoadAsync(seed, cancellationToken);
            }

            await EnsureAdministratorAsync(scope.ServiceProvider.GetRequiredService<VideoLinkDbContext>(), cancellationToken);
            var closed = await scope.ServiceProvider.GetRequiredService<VideoLink.Hub.Rooms.LegIntervalJournal>().CloseOpenAsync(cancellationToken);
            if (closed > 0)
            {
                LogIntervalsClosed(logger, closed);
            }

            readiness.MarkReady();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            readiness.MarkFailed(ex.Message);
            LogStartFailed(logger, ex);
            throw;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private string? ResolveSeedFile()
    {
        var o = options.Value;
        if (!string.IsNullOrWhiteSpace(o.SeedFile))
        {
            return Path.GetFullPath(o.SeedFile);
        }

        if (!o.SeedOnStart)
        {
            return null;
        }

        // The sample district ships next to the binary (copied from seeds/ at build time).
        var candidates = new[]
        {
            Path.Combine(AppContext.BaseDirectory, "seeds", SampleSeedFile),
            Path.Combine(environment.ContentRootPath, "..", "..", "seeds", SampleSeedFile),
        };
        return candidates.FirstOrDefault(File.Exists) ?? throw new SeedException($"{SampleSeedFile}: the sample district was not found next to the hub.");
    }

    private async Task EnsureAdministratorAsync(VideoLinkDbContext db, CancellationToken ct)
    {
        if (await db.Users.AnyAsync(u => u.Username == "admin", ct))
        {
            return;
        }

        var root = await db.OrgUnits.Where(u => u.ParentId == null).OrderBy(u => u.Code).FirstOrDefaultAsync(ct);
        if (root is null)
        {
            LogNoRoot(logger);
            return;
        }

        var password = Environment.GetEnvironmentVariable(AuthOptions.AdminPasswordVariable);
        var generated = string.IsNullOrEmpty(password);
        if (generated)
        {
            password = RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789", 16);
        }
        else if (password!.Length < auth.Value.MinimumPasswordLength)
        {
            throw new OptionsValidationException(AuthOptions.AdminPasswordVariable, typeof(AuthOptions), [$"{AuthOptions.AdminPasswordVariable} must be at least {auth.Value.MinimumPasswordLength} characters."]);
        }

        var admin = new User
        {
            Id = Guid.NewGuid(),
            Username = "admin",
            PasswordHash = "",
            DisplayName = "系统管理员",
            Role = Role.DistrictAdmin,
            OrgUnitId = root.Id,
            OrgPath = root.OrgPath,
            CreatedUtc = DateTime.UtcNow,
        };
        admin.PasswordHash = new PasswordHasher<User>().HashPassword(admin, password);
        db.Users.Add(admin);
        await db.SaveChangesAsync(ct);
        if (generated)
        {
            // Printed once to the console only — never through the logger, so it does not reach log files.
            await Console.Out.WriteLineAsync($"VideoLink: created administrator 'admin' with password: {password}  (set {AuthOptions.AdminPasswordVariable} to choose it)");
        }

        LogAdminCreated(logger, root.Name);
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Critical, Message = "The hub could not start")]
    private static partial void LogStartFailed(ILogger logger, Exception ex);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "No org unit exists; the first administrator was not created")]
    private static partial void LogNoRoot(ILogger logger);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Information, Message = "Created the first administrator at {OrgUnit}")]
    private static partial void LogAdminCreated(ILogger logger, string orgUnit);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Warning, Message = "Closed {Count} leg intervals left open by the previous run (hub-restart)")]
    private static partial void LogIntervalsClosed(ILogger logger, int count);
}
