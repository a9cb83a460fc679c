using System.Globalization;
using Microsoft.Data.Sqlite;
using VideoLink.StationAgent.Contracts;

namespace VideoLink.StationAgent.Journal;

/// <summary>
/// The attendance journal's local outbox (SQLite, WAL, synchronous=FULL). An entry is committed to disk before the
/// person gets any feedback, keeps its UUID for ever (the hub's idempotency key) and stays until the hub has
/// acknowledged it — so a crash, a power cut or a hub outage loses nothing and doubles nothing.
/// </summary>
public sealed class Outbox : IDisposable
{
    public const string FileName = "outbox.db";

    private readonly string _connectionString;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public Outbox(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, FileName),
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString();
        using var connection = Open();
        Execute(connection, """
            PRAGMA journal_mode=WAL;
            CREATE TABLE IF NOT EXISTS outbox (
                id TEXT PRIMARY KEY,
                device TEXT NOT NULL,
                method TEXT NOT NULL,
                person_hash TEXT,
                person_masked TEXT,
                detail TEXT,
                device_time TEXT NOT NULL,
                created TEXT NOT NULL,
                uploaded TEXT
            );
            CREATE INDEX IF NOT EXISTS ix_outbox_pending ON outbox (uploaded, created);
            """);
    }

    /// <summary>Raised after an entry is durably stored (the uploader wakes up).</summary>
    public event Action? Appended;

    public async Task AppendAsync(CheckInUpload entry, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var connection = Open();
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = """
                INSERT OR IGNORE INTO outbox (id, device, method, person_hash, person_masked, detail, device_time, created)
                VALUES ($id, $device, $method, $hash, $masked, $detail, $time, $created)
                """;
            cmd.Parameters.AddWithValue("$id", entry.Id.ToString());
            cmd.Parameters.AddWithValue("$device", entry.DeviceCode);
            cmd.Parameters.AddWithValue("$method", entry.Method);
            cmd.Parameters.AddWithValue("$hash", (object?)entry.PersonHash ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$masked", (object?)entry.PersonMasked ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$detail", (object?)entry.Detail ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$time", entry.DeviceTime.ToString("O", CultureInfo.InvariantCulture));
            cmd.Parameters.AddWithValue("$created", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }

        Appended?.Invoke();
    }

    public async Task<List<CheckInUpload>> PendingAsync(int max, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT id, device, method, person_hash, person_masked, detail, device_time FROM outbox WHERE uploaded IS NULL ORDER BY created LIMIT $max";
        cmd.Parameters.AddWithValue("$max", max);
        var list = new List<CheckInUpload>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new CheckInUpload(
                Guid.Parse(reader.GetString(0)),
                reader.GetString(1),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                DateTimeOffset.Parse(reader.GetString(6), CultureInfo.InvariantCulture)));
        }

        return list;
    }

    public async Task MarkUploadedAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var connection = Open();
            await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            var now = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
            foreach (var id in ids)
            {
                await using var cmd = connection.CreateCommand();
                cmd.Transaction = tx;
                cmd.CommandText = "UPDATE outbox SET uploaded = $now WHERE id = $id AND uploaded IS NULL";
                cmd.Parameters.AddWithValue("$now", now);
                cmd.Parameters.AddWithValue("$id", id.ToString());
                await cmd.ExecuteNonQueryAsync(cancellationToken);
            }

            await tx.CommitAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<int> CountPendingAsync(CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM outbox WHERE uploaded IS NULL";
        return Convert.ToInt32(await cmd.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public void Dispose() => _gate.Dispose();

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, "PRAGMA synchronous=FULL;");
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
