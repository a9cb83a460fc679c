using System.Net;
using System.Text.Json.Nodes;
using VideoLink.Hub.Tests.Infrastructure;

namespace VideoLink.Hub.Tests.Storage;

/// <summary>The whole hub on PostgreSQL: migrations, seeding, the org-tree filter (LIKE on paths) and transactions.</summary>
public sealed class PostgreSqlHubTests
{
    [Fact]
    public async Task Hub_OnPostgreSql_SeedsTheDistrict_AndKeepsTheOrgTreeRule()
    {
        await using var pg = await TestPostgres.CreateAsync();
        using var hub = HubFactory.With(new() { ["Storage:Provider"] = "PostgreSql", ["Storage:ConnectionString"] = pg.ConnectionString });

        var admin = await hub.LoginAsync();
        var stations = await admin.GetJsonAsync("/api/sites?kind=ExpertStation");
        var created = await admin.PostJsonAsync("/api/users", new { username = "pgvillage", password = "Passw0rd-1", displayName = "村管理员", role = "BranchAdmin", orgUnitId = SampleDistrict.Village1Of1 });
        var village = await hub.LoginAsync("pgvillage", "Passw0rd-1");
        var township = await village.GetAsync($"/api/org-units/{SampleDistrict.Township1}").WaitAsync(TestTimeouts.Request);
        var sites = await village.GetJsonAsync("/api/sites");

        Assert.Equal(38, stations.GetArrayLength());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, township.StatusCode);
        Assert.Equal(1, sites.GetArrayLength());
    }

    [Fact]
    public async Task Seed_FailingInTheDatabase_LeavesNothingHalfLoaded()
    {
        await using var pg = await TestPostgres.CreateAsync();
        var seed = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "Seeds", "small-district.json")))!;
        // Valid to the validator, too long for the column: the insert fails after earlier rows were written.
        seed["devices"]![0]!["name"] = new string('长', 300);
        var file = Path.Combine(Path.GetTempPath(), $"long-seed-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, seed.ToJsonString());
        using var hub = HubFactory.With(new()
        {
            ["Storage:Provider"] = "PostgreSql",
            ["Storage:ConnectionString"] = pg.ConnectionString,
            ["VideoLink:SeedFile"] = file,
        });

        Assert.ThrowsAny<Exception>(() => hub.Server);
        await using var connection = new Npgsql.NpgsqlConnection(pg.ConnectionString);
        await connection.OpenAsync();
        await using var count = new Npgsql.NpgsqlCommand("SELECT (SELECT count(*) FROM \"OrgUnits\") + (SELECT count(*) FROM \"Sites\") + (SELECT count(*) FROM \"SeedRuns\")", connection);
        Assert.Equal(0L, await count.ExecuteScalarAsync());
        File.Delete(file);
    }
}
