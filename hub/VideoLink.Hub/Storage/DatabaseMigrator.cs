using Microsoft.EntityFrameworkCore;

namespace VideoLink.Hub.Storage;

/// <summary>Brings the database schema up to date; switches SQLite to WAL so readers never block the writer.</summary>
public sealed partial class DatabaseMigrator(VideoLinkDbContext db, ILogger<DatabaseMigrator> logger)
{
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        if (db.Database.IsSqlite())
        {
            var path = db.Database.GetDbConnection().DataSource;
            var folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }
        }

        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        await db.Database.MigrateAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        LogMigrated(logger, db.Database.ProviderName ?? "?", pending.Count);
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Database ready on {Provider}; applied {Count} migration(s)")]
    private static partial void LogMigrated(ILogger logger, string provider, int count);
}
