using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using VideoLink.Hub.Security;
using VideoLink.Hub.Storage;
using VideoLink.Hub.Tests.Infrastructure;

namespace VideoLink.Hub.Tests.Storage;

/// <summary>
/// The hand-written migrations must build exactly the schema the model describes, on both providers: compare a
/// migrated database with one EF creates straight from the model.
/// </summary>
public sealed class SchemaTests
{
    private static VideoLinkDbContext Context(Action<DbContextOptionsBuilder> provider)
    {
        var options = new DbContextOptionsBuilder<VideoLinkDbContext>();
        provider(options);
        options.ConfigureWarnings(w => w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.PendingModelChangesWarning));
        return new VideoLinkDbContext(options.Options, new OrgScopeAccessor { Current = OrgScope.System });
    }

    [Fact]
    public async Task Sqlite_MigratedSchema_MatchesTheModel()
    {
        var folder = Path.Combine(Path.GetTempPath(), "videolink-schema-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(folder);
        var migrated = $"Data Source={Path.Combine(folder, "migrated.db")};Pooling=False";
        var created = $"Data Source={Path.Combine(folder, "created.db")};Pooling=False";
        await using (var db = Context(o => o.UseSqlite(migrated)))
        {
            await db.Database.MigrateAsync();
        }

        await using (var db = Context(o => o.UseSqlite(created)))
        {
            await db.Database.EnsureCreatedAsync();
        }

        Assert.Equal(await SqliteColumnsAsync(created), await SqliteColumnsAsync(migrated));
        Assert.Equal(QuartzTables(), await SqliteQuartzTablesAsync(migrated));
        System.IO.Directory.Delete(folder, true);
    }

    [Fact]
    public async Task PostgreSql_MigratedSchema_MatchesTheModel()
    {
        await using var migratedDb = await TestPostgres.CreateAsync();
        await using var createdDb = await TestPostgres.CreateAsync();
        await using (var db = Context(o => o.UseNpgsql(migratedDb.ConnectionString)))
        {
            await db.Database.MigrateAsync();
        }

        await using (var db = Context(o => o.UseNpgsql(createdDb.ConnectionString)))
        {
            await db.Database.EnsureCreatedAsync();
        }

        var expected = await PostgresColumnsAsync(createdDb.ConnectionString);
        Assert.Equal(expected, await PostgresColumnsAsync(migratedDb.ConnectionString));
        Assert.Contains(expected, c => c.StartsWith("Sites.Id uuid", StringComparison.Ordinal));
        Assert.Equal(QuartzTables(), await PostgresQuartzTablesAsync(migratedDb.ConnectionString));
    }

    /// <summary>The Quartz job store's tables the migration must create (they are outside the EF model).</summary>
    private static List<string> QuartzTables() =>
    [
        "qrtz_blob_triggers", "qrtz_calendars", "qrtz_cron_triggers", "qrtz_execution_history", "qrtz_fired_triggers", "qrtz_job_details",
        "qrtz_job_status", "qrtz_locks", "qrtz_misfire_history", "qrtz_paused_job_grps", "qrtz_paused_trigger_grps", "qrtz_scheduler_state",
        "qrtz_simple_triggers", "qrtz_simprop_triggers", "qrtz_triggers",
    ];

    private static async Task<List<string>> SqliteQuartzTablesAsync(string connectionString)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var cmd = new SqliteCommand("SELECT lower(name) FROM sqlite_master WHERE type='table' AND lower(substr(name, 1, 5)) = 'qrtz_' ORDER BY 1", connection);
        await using var reader = await cmd.ExecuteReaderAsync();
        var tables = new List<string>();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    private static async Task<List<string>> PostgresQuartzTablesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND left(table_name, 5) = 'qrtz_' ORDER BY 1", connection);
        await using var reader = await cmd.ExecuteReaderAsync();
        var tables = new List<string>();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    private static async Task<List<string>> SqliteColumnsAsync(string connectionString)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var cmd = new SqliteCommand("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' AND substr(name, 1, 4) <> '__EF' AND lower(substr(name, 1, 5)) <> 'qrtz_' ORDER BY name", connection))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var columns = new List<string>();
        foreach (var table in tables)
        {
            await using var cmd = new SqliteCommand($"SELECT name, type, \"notnull\", pk FROM pragma_table_info('{table}') ORDER BY name", connection);
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                columns.Add($"{table}.{reader.GetString(0)} {reader.GetString(1)} notnull={reader.GetInt64(2)} pk={reader.GetInt64(3)}");
            }

            await using var idx = new SqliteCommand($"SELECT name, \"unique\" FROM pragma_index_list('{table}') WHERE origin = 'c' ORDER BY name", connection);
            await using var idxReader = await idx.ExecuteReaderAsync();
            while (await idxReader.ReadAsync())
            {
                columns.Add($"{table} index {idxReader.GetString(0)} unique={idxReader.GetInt64(1)}");
            }
        }

        return columns;
    }

    private static async Task<List<string>> PostgresColumnsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        const string sql = """
            SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || coalesce(character_maximum_length::text, '-') || ' ' || is_nullable
            FROM information_schema.columns
            WHERE table_schema = 'public' AND left(table_name, 4) <> '__EF' AND left(table_name, 5) <> 'qrtz_'
            UNION ALL
            SELECT tablename || ' index ' || indexname || ' ' || indexdef
            FROM pg_indexes WHERE schemaname = 'public' AND left(tablename, 4) <> '__EF' AND left(tablename, 5) <> 'qrtz_'
            ORDER BY 1
            """;
        await using var cmd = new NpgsqlCommand(sql, connection);
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}
