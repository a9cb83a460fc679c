using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VideoLink.Hardware.Devices;
using VideoLink.Hardware.Simulators.IdCard;
using VideoLink.Hub.Tests.Infrastructure;
using VideoLink.Sip;
using VideoLink.Sip.Tests.Infrastructure;
using Xunit.Abstractions;

namespace VideoLink.StationAgent.Tests.Integration;

/// <summary>
/// A booked meeting end to end with real peers: the hub on a real port with Quartz on its SQLite job store, the village
/// kiosk's station agent with a simulated ID-card reader on a pty, and baresip registered as the kiosk's SIP phone.
/// The booking starts a few seconds ahead, launches itself, dials the kiosk (answered) and the township centre (not
/// registered: retried and reported, never blocking the kiosk), a resident swipes their ID card, the meeting ends by
/// itself, and the attendance report shows the kiosk's connected minutes and the person's minutes.
/// </summary>
public sealed class BookingLaunchTests(ITestOutputHelper output)
{
    private const string IdNumber = "11010519491231002X";
    private static readonly TimeSpan Lead = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Length = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task BookingAFewSecondsAhead_LaunchesDialsTheSite_AndAttendanceShowsSiteAndPersonMinutes()
    {
        await using var rig = new StationRig();
        await using var reader = new IdCardReaderSimulator();
        await reader.StartOnPtyAsync(CancellationToken.None);
        await rig.StartHubAsync(new() { ["Bookings:RetrySeconds"] = "4", ["Bookings:GraceMinutes"] = "0" });
        var person = await rig.Admin.PostAsJsonAsync("/api/people", new { name = "李村民", orgUnitId = SampleDistrict.Village1Of1, idNumber = IdNumber }).WaitAsync(TestTimeouts.Request);
        Assert.Equal(HttpStatusCode.Created, person.StatusCode);
        await rig.StartAgentAsync([new DeviceConfig { Id = "idreader", Kind = "CardReader", Driver = "idcard-serial", Port = reader.DevicePath, Baud = 115200 }]);
        await rig.WaitForSiteOnlineAsync();
        var sipPort = rig.Hub.Services.GetRequiredService<SipServer>().UdpEndPoint!.Port;
        await using var phone = Baresip.Start(sipPort, "82001", "Sample-82001", TimeSpan.FromMinutes(3), ";answermode=auto");
        await rig.WaitUntilAsync(async () =>
        {
            var endpoints = await rig.Admin.GetFromJsonAsync<JsonElement>($"/api/endpoints?siteId={rig.SiteId}").WaitAsync(TestTimeouts.Request);
            return endpoints.EnumerateArray().Any(e => e.GetProperty("sipUser").GetString() == "82001" && e.GetProperty("online").GetBoolean());
        }, "baresip to register as 82001");

        var start = DateTime.UtcNow.Add(Lead);
        start = start.AddTicks(-(start.Ticks % TimeSpan.TicksPerSecond));
        var end = start + Length;
        var created = await rig.Admin.PostAsJsonAsync("/api/bookings", new
        {
            title = "组织工作例会",
            organizerOrgUnitId = SampleDistrict.District,
            start = Iso(start),
            end = Iso(end),
            timeZone = "Asia/Shanghai",
            siteIds = new[] { rig.SiteId, SampleDistrict.Township1Centre },
            mainVenueSiteId = rig.SiteId,
            launchMode = "AutoConnect",
            prepareMinutes = 0,
        }).WaitAsync(TestTimeouts.Request);
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var bookingId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var occurrence = $"/api/bookings/{bookingId}/occurrences/{Iso(start)}";

        // At the start the booking launches itself and the kiosk's phone is dialled and answers.
        JsonElement run = default;
        await WaitAsync(rig, async () =>
        {
            run = await rig.Admin.GetFromJsonAsync<JsonElement>(occurrence).WaitAsync(TestTimeouts.Request);
            return run.GetProperty("dials").EnumerateArray().Any(d => d.GetProperty("siteId").GetGuid() == rig.SiteId && d.GetProperty("connected").ValueKind == JsonValueKind.String);
        }, Lead + TimeSpan.FromSeconds(30), "the kiosk to be dialled and connected");
        var launched = DateTime.Parse(run.GetProperty("launched").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
        Assert.True(launched >= start.AddSeconds(-1) && launched < start.AddSeconds(10), $"launched at {launched:o}, booked for {start:o}");

        // A resident swipes their ID card at the kiosk during the meeting.
        reader.PlaceCard(SimulatedIdCard.Sample with { Name = "李村民", IdNumber = IdNumber });
        await rig.WaitUntilAsync(async () => await rig.WithHubDatabaseAsync(db => db.CheckIns.AnyAsync()), "the swipe to reach the hub");
        reader.RemoveCard();
        var swipe = await rig.WithHubDatabaseAsync(db => db.CheckIns.Select(c => c.DeviceTimeUtc).SingleAsync());

        // The unregistered township phone is retried on the schedule and reported, the kiosk unaffected.
        await WaitAsync(rig, async () =>
        {
            run = await rig.Admin.GetFromJsonAsync<JsonElement>(occurrence).WaitAsync(TestTimeouts.Request);
            return run.GetProperty("dials").EnumerateArray().Any(d => d.GetProperty("siteId").GetGuid() == SampleDistrict.Township1Centre && d.GetProperty("attempts").GetInt32() >= 2);
        }, Length, "the township centre to be dialled again");

        // At the end the room closes by itself and the phone is hung up.
        await WaitAsync(rig, async () =>
        {
            run = await rig.Admin.GetFromJsonAsync<JsonElement>(occurrence).WaitAsync(TestTimeouts.Request);
            return run.GetProperty("ended").ValueKind == JsonValueKind.String;
        }, end - DateTime.UtcNow + TimeSpan.FromSeconds(30), "the meeting to end");
        var ended = DateTime.Parse(run.GetProperty("ended").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
        var attendance = await rig.Admin.GetFromJsonAsync<JsonElement>(occurrence + "/attendance").WaitAsync(TestTimeouts.Request);
        var csv = await rig.Admin.GetStringAsync(occurrence + "/attendance?format=csv").WaitAsync(TestTimeouts.Request);
        var xlsx = await rig.Admin.GetByteArrayAsync(occurrence + "/attendance?format=xlsx").WaitAsync(TestTimeouts.Request);
        var legs = await rig.WithHubDatabaseAsync(db => db.RoomLegIntervals.Where(i => i.SiteId == rig.SiteId).ToListAsync());
        output.WriteLine(attendance.ToString());

        Assert.True(ended >= end && ended < end.AddSeconds(10), $"ended at {ended:o}, booked until {end:o}");
        var leg = Assert.Single(legs);
        Assert.Equal("room-ended", leg.LeftReason);
        var kiosk = attendance.GetProperty("sites").EnumerateArray().Single(s => s.GetProperty("siteId").GetGuid() == rig.SiteId);
        var township = attendance.GetProperty("sites").EnumerateArray().Single(s => s.GetProperty("siteId").GetGuid() == SampleDistrict.Township1Centre);
        var connectedSeconds = kiosk.GetProperty("connectedSeconds").GetDouble();
        // The kiosk was in from when it answered until the booked end (the room closed then): within ±5 s.
        var expected = (end - leg.JoinedUtc).TotalSeconds;
        Assert.InRange(connectedSeconds, expected - 5, expected + 5);
        Assert.InRange(connectedSeconds, Length.TotalSeconds - 12, Length.TotalSeconds + 0.5);
        Assert.False(kiosk.GetProperty("absent").GetBoolean());
        Assert.True(township.GetProperty("absent").GetBoolean());
        var resident = Assert.Single(attendance.GetProperty("people").EnumerateArray());
        Assert.Equal("李村民", resident.GetProperty("name").GetString());
        Assert.InRange(resident.GetProperty("presentSeconds").GetDouble(), (end - swipe).TotalSeconds - 5, (end - swipe).TotalSeconds + 5);
        Assert.DoesNotContain(IdNumber, attendance.GetRawText(), StringComparison.Ordinal);
        Assert.Contains("李村民", csv, StringComparison.Ordinal);
        Assert.Equal((byte)'P', xlsx[0]); // a ZIP package
        Assert.Contains(run.GetProperty("dials").EnumerateArray(), d => d.GetProperty("siteId").GetGuid() == SampleDistrict.Township1Centre
            && d.GetProperty("connected").ValueKind == JsonValueKind.Null && d.GetProperty("lastOutcome").GetString()!.StartsWith("Unreachable", StringComparison.Ordinal));
    }

    private static string Iso(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static async Task WaitAsync(StationRig rig, Func<Task<bool>> condition, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"Timed out waiting for {what}.");
        _ = rig;
    }
}
