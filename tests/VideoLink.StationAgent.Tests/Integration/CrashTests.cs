using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using VideoLink.Hub.Tests.Infrastructure;
using VideoLink.StationAgent.Journal;

namespace VideoLink.StationAgent.Tests.Integration;

/// <summary>
/// The journal's promise under the worst stops: the agent killed (SIGKILL) in the middle of an upload, and the hub
/// killed in the middle of storing one. Afterwards every entry is in the hub exactly once.
/// </summary>
public sealed class CrashTests
{
    private const int Entries = 6000;

    /// <summary>Fills the agent's outbox the way the agent would, but in one transaction so the test starts quickly.</summary>
    private static async Task PrefillOutboxAsync(string agentData, int count)
    {
        using (new Outbox(agentData))
        {
            // creates the schema
        }

        await using var connection = new SqliteConnection($"Data Source={Path.Combine(agentData, Outbox.FileName)};Pooling=False");
        await connection.OpenAsync();
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync();
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < count; i++)
        {
            await using var cmd = connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT INTO outbox (id, device, method, person_hash, person_masked, device_time, created) VALUES ($id, 'icreader', 'IcCard', $hash, '****', $t, $c)";
            cmd.Parameters.AddWithValue("$id", Guid.NewGuid().ToString());
            cmd.Parameters.AddWithValue("$hash", "em4100:" + i.ToString("X10", System.Globalization.CultureInfo.InvariantCulture));
            cmd.Parameters.AddWithValue("$t", now.AddSeconds(i).ToString("O"));
            cmd.Parameters.AddWithValue("$c", now.AddTicks(i).ToString("O"));
            await cmd.ExecuteNonQueryAsync();
        }

        await tx.CommitAsync();
    }

    private static async Task<long> HubCheckInsAsync(string hubData)
    {
        var file = Path.Combine(hubData, "videolink.db");
        if (!File.Exists(file))
        {
            return 0;
        }

        await using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT count(*), count(DISTINCT Id) FROM CheckIns";
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal(reader.GetInt64(0), reader.GetInt64(1));
        return reader.GetInt64(0);
    }

    private static async Task<string> WriteAgentConfigAsync(StationRig rig, string token)
    {
        var path = Path.Combine(Path.GetTempPath(), $"agent-{Guid.NewGuid():N}.json");
        var config = new { hubUrl = rig.HubUrl.ToString(), siteId = rig.SiteId, enrollmentToken = token, dataDirectory = rig.AgentData, reconnectMaxSeconds = 1, devices = Array.Empty<object>() };
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(config));
        return path;
    }

    [Fact]
    public async Task AgentKilledMidUpload_LosesNothing_AndDoublesNothing()
    {
        await using var rig = new StationRig();
        await rig.StartHubAsync();
        await PrefillOutboxAsync(rig.AgentData, Entries);
        var config = await WriteAgentConfigAsync(rig, await rig.EnrollmentTokenAsync());

        long atKill;
        await using (var agent = ProcessRunner.Start("VideoLink.StationAgent.dll", ["--config", config]))
        {
            await rig.WaitUntilAsync(async () => await HubCheckInsAsync(rig.HubData) > 0, "the first uploaded batch");
            await agent.KillHardAsync();
            atKill = await HubCheckInsAsync(rig.HubData);
        }

        Assert.InRange(atKill, 1, Entries - 1); // really mid-upload
        await using (ProcessRunner.Start("VideoLink.StationAgent.dll", ["--config", config]))
        {
            await rig.WaitUntilAsync(async () => await HubCheckInsAsync(rig.HubData) == Entries && await rig.PendingInOutboxAsync() == 0, "every entry to arrive");
        }

        Assert.Equal(Entries, await HubCheckInsAsync(rig.HubData));
        File.Delete(config);
    }

    [Fact]
    public async Task HubKilledMidWrite_LosesNothing_AndDoublesNothing()
    {
        await using var rig = new StationRig();
        var hubArgs = new[] { "--urls", rig.HubUrl.ToString().TrimEnd('/'), "--data", rig.HubData, "--sip-port", "0", "--media-port", "0" };
        var env = new Dictionary<string, string> { ["VIDEOLINK_ADMIN_PASSWORD"] = HubFactory.AdminPassword };
        var hub = ProcessRunner.Start("VideoLink.Hub.dll", hubArgs, env);
        try
        {
            await rig.WaitUntilAsync(async () =>
            {
                try
                {
                    using var http = new HttpClient { BaseAddress = rig.HubUrl };
                    return (await http.GetAsync("/health/ready")).IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, "the hub process to be ready");
            await rig.LoginAsync();
            await PrefillOutboxAsync(rig.AgentData, Entries);
            await rig.StartAgentAsync([]);

            await rig.WaitUntilAsync(async () => await HubCheckInsAsync(rig.HubData) > 0, "the first stored batch");
            await hub.KillHardAsync();
            var atKill = await HubCheckInsAsync(rig.HubData);
            Assert.InRange(atKill, 1, Entries - 1);

            await hub.DisposeAsync();
            hub = ProcessRunner.Start("VideoLink.Hub.dll", hubArgs, env);
            await rig.WaitUntilAsync(async () => await HubCheckInsAsync(rig.HubData) == Entries && await rig.PendingInOutboxAsync() == 0, "every entry to arrive after the restart");
            Assert.Equal(Entries, await HubCheckInsAsync(rig.HubData));
        }
        finally
        {
            await hub.DisposeAsync();
        }
    }
}
