using Npgsql;

namespace VideoLink.Hub.Tests.Infrastructure;

/// <summary>
/// A fresh database on the real PostgreSQL server that ./test.sh starts (tests/scripts/start-postgres.sh).
/// There is no skip: without a server these tests fail, because PostgreSQL is a supported provider.
/// </summary>
public sealed class TestPostgres : IAsyncDisposable
{
    public const string Variable = "VIDEOLINK_TEST_POSTGRES";
    private const string Fallback = "Host=127.0.0.1;Port=5432;Username=videolink_test;Password=videolink_test;Database=postgres";

    private readonly string _admin;

    private TestPostgres(string admin, string database)
    {
        _admin = admin;
        Database = database;
        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = database, Pooling = false }.ConnectionString;
    }

    public string Database { get; }

    public string ConnectionString { get; }

    public static async Task<TestPostgres> CreateAsync()
    {
        var admin = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured ? configured : Fallback;
        var name = "vl_test_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(admin);
        try
        {
            await connection.OpenAsync().WaitAsync(TestTimeouts.Request);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw new InvalidOperationException($"PostgreSQL is not reachable ({ex.Message}). Run tests through ./test.sh, which starts it, or set {Variable}.", ex);
        }

        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await create.ExecuteNonQueryAsync().WaitAsync(TestTimeouts.Request);
        return new TestPostgres(admin, name);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Database}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
