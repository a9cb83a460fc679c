using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using VideoLink.Hub.Tests.Infrastructure;

namespace VideoLink.Hub.Tests.Bookings;

/// <summary>
/// Quartz on the persistent job store: triggers survive a hub restart, a start missed while the hub was down launches on
/// recovery if the meeting is still in its window (and is recorded as missed if not), and clustered PostgreSQL works.
/// </summary>
public sealed class BookingSchedulingTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private static string Iso(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static DateTime Second(DateTime utc) => utc.AddTicks(-(utc.Ticks % TimeSpan.TicksPerSecond));

    private static async Task<Guid> BookAsync(HttpClient admin, DateTime start, DateTime end, Guid site, string title)
    {
        var response = await admin.PostJsonAsync("/api/bookings", new
        {
            title,
            organizerOrgUnitId = SampleDistrict.District,
            start = Iso(start),
            end = Iso(end),
            siteIds = new[] { site },
            launchMode = "Reservation",
            prepareMinutes = 0,
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.JsonAsync()).GetProperty("id").GetGuid();
    }

    private static async Task<JsonElement> WaitForRunAsync(HttpClient admin, Guid booking, DateTime start, Func<JsonElement, bool> done, string what)
    {
        var until = DateTime.UtcNow + Deadline;
        JsonElement run = default;
        while (DateTime.UtcNow < until)
        {
            run = await admin.GetJsonAsync($"/api/bookings/{booking}/occurrences/{Iso(start)}");
            if (done(run))
            {
                return run;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"Timed out waiting for {what}: {run}");
        return run;
    }

    private static bool Has(JsonElement run, string property) => run.GetProperty(property).ValueKind == JsonValueKind.String;

    [Fact]
    public async Task StartPassedWhileTheHubWasDown_LaunchesOnRecovery_IfStillInItsWindow_AndFutureJobsStayArmed()
    {
        var data = Path.Combine(Path.GetTempPath(), "videolink-misfire-" + Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?> { ["VideoLink:DataDirectory"] = data, ["Bookings:MisfireThresholdSeconds"] = "2" };
        DateTime start;
        Guid inWindow, over, future;
        using (var first = HubFactory.With(settings))
        {
            var admin = await first.LoginAsync();
            start = Second(DateTime.UtcNow.AddSeconds(6));
            inWindow = await BookAsync(admin, start, start.AddMinutes(5), SampleDistrict.KioskOfVillage2Of1, "仍在时段内");
            over = await BookAsync(admin, start, start.AddSeconds(4), SampleDistrict.KioskOfVillage1Of2, "时段已过");
            future = await BookAsync(admin, start.AddHours(3), start.AddHours(4), SampleDistrict.Township1Centre, "三小时后");
        }

        // The hub is down across both starts and the whole of the short meeting, past the misfire threshold.
        while (DateTime.UtcNow < start.AddSeconds(9))
        {
            await Task.Delay(250);
        }

        using var second = HubFactory.With(settings);
        var again = await second.LoginAsync();
        var launched = await WaitForRunAsync(again, inWindow, start, r => Has(r, "launched"), "the in-window booking to launch on recovery");
        var missed = await WaitForRunAsync(again, over, start, r => r.GetProperty("missed").ValueKind == JsonValueKind.String, "the past booking to be recorded as missed");
        var armed = await CountTriggersAsync(data, future);

        var launchedAt = DateTime.Parse(launched.GetProperty("launched").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
        Assert.True(launchedAt >= start.AddSeconds(9), $"launched at {launchedAt:o}: only after the restart");
        Assert.NotEqual(JsonValueKind.Null, launched.GetProperty("roomId").ValueKind);
        Assert.Equal(JsonValueKind.Null, missed.GetProperty("roomId").ValueKind);
        Assert.True(armed >= 3, $"the future booking has {armed} trigger(s) after the restart"); // reminder, launch, warn, end
        try
        {
            Directory.Delete(data, true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    [Fact]
    public async Task OnPostgreSql_TheClusteredSchedulerLaunchesAndEndsABooking()
    {
        await using var pg = await TestPostgres.CreateAsync();
        using var hub = HubFactory.With(new() { ["Storage:Provider"] = "PostgreSql", ["Storage:ConnectionString"] = pg.ConnectionString });
        var admin = await hub.LoginAsync();
        var start = Second(DateTime.UtcNow.AddSeconds(4));

        var booking = await BookAsync(admin, start, start.AddSeconds(6), SampleDistrict.KioskOfVillage1Of1, "集群调度");
        var run = await WaitForRunAsync(admin, booking, start, r => Has(r, "ended"), "the booking to launch and end");

        Assert.True(Has(run, "launched"));
        await using var connection = new Npgsql.NpgsqlConnection(pg.ConnectionString);
        await connection.OpenAsync();
        await using var nodes = new Npgsql.NpgsqlCommand("SELECT count(*) FROM qrtz_scheduler_state", connection);
        Assert.Equal(1L, await nodes.ExecuteScalarAsync()); // a clustered node checks in
    }

    private static async Task<long> CountTriggersAsync(string data, Guid booking)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(data, "videolink.db")};Pooling=False");
        await connection.OpenAsync();
        await using var cmd = new SqliteCommand("SELECT count(*) FROM qrtz_triggers WHERE job_name = $job", connection);
        cmd.Parameters.AddWithValue("$job", booking.ToString("N"));
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
