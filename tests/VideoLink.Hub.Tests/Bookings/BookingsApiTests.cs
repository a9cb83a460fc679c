using System.Net;
using System.Text.Json;
using VideoLink.Hub.Tests.Infrastructure;

namespace VideoLink.Hub.Tests.Bookings;

/// <summary>The bookings API through the real hub: recurrence, conflicts, per-occurrence edits, cancellation, iCalendar.</summary>
public sealed class BookingsApiTests(HubFactory hub) : IClassFixture<HubFactory>
{
    private static int _day = 20;

    /// <summary>A distinct future day per test (local date in Asia/Shanghai), so tests sharing the hub never collide.</summary>
    private static DateTime Day() => DateTime.UtcNow.Date.AddDays(Interlocked.Add(ref _day, 3));

    private static string Local(DateTime day, int hour, int minute = 0) => day.AddHours(hour).AddMinutes(minute).ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

    private static object Booking(DateTime day, string? recurrence = null, Guid[]? sites = null, int hour = 9) => new
    {
        mainVenueSiteId = (sites ?? [SampleDistrict.DistrictCentre])[0],
        title = "组织工作例会",
        organizerOrgUnitId = SampleDistrict.District,
        start = Local(day, hour),
        end = Local(day, hour + 1, 30),
        timeZone = "Asia/Shanghai",
        recurrence,
        siteIds = sites ?? [SampleDistrict.DistrictCentre, SampleDistrict.Township1Centre],
        launchMode = "AutoConnect",
        prepareMinutes = 10,
    };

    [Fact]
    public async Task WeeklySeries_IsExpandedInShanghaiTime_AndListedByWindow()
    {
        var admin = await hub.LoginAsync();
        var day = Day();

        var created = await admin.PostJsonAsync("/api/bookings", Booking(day, "FREQ=WEEKLY;COUNT=3"));
        var body = await created.JsonAsync();
        var list = await admin.GetJsonAsync($"/api/bookings?from={day.AddDays(-1):yyyy-MM-dd}T00:00:00Z&to={day.AddDays(30):yyyy-MM-dd}T00:00:00Z");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var occurrences = body.GetProperty("occurrences").EnumerateArray().Select(o => o.GetProperty("start").GetString()).ToList();
        // 09:00 in Shanghai (UTC+8, no DST) is 01:00 UTC, on the same weekday three weeks running.
        Assert.Equal([$"{day:yyyy-MM-dd}T01:00:00Z", $"{day.AddDays(7):yyyy-MM-dd}T01:00:00Z", $"{day.AddDays(14):yyyy-MM-dd}T01:00:00Z"], occurrences);
        var listed = list.EnumerateArray().Single(b => b.GetProperty("id").GetGuid() == body.GetProperty("id").GetGuid());
        Assert.Equal(3, listed.GetProperty("occurrences").GetArrayLength());
    }

    [Fact]
    public async Task SiteAlreadyBooked_InAnOverlappingSlot_Is409ListingTheConflicts()
    {
        var admin = await hub.LoginAsync();
        var day = Day();
        var first = await admin.PostJsonAsync("/api/bookings", Booking(day, "FREQ=DAILY;COUNT=2"));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var firstId = (await first.JsonAsync()).GetProperty("id").GetGuid();

        // Second booking: the next day 10:00–11:30 at the township centre overlaps day 2 (09:00–10:30).
        var clash = await admin.PostJsonAsync("/api/bookings", Booking(day.AddDays(1), sites: [SampleDistrict.Township1Centre, SampleDistrict.KioskOfVillage2Of1], hour: 10));
        var touching = await admin.PostJsonAsync("/api/bookings", new
        {
            title = "紧接着的会",
            organizerOrgUnitId = SampleDistrict.District,
            start = Local(day, 10, 30),
            end = Local(day, 11),
            siteIds = new[] { SampleDistrict.Township1Centre },
        });

        Assert.Equal(HttpStatusCode.Conflict, clash.StatusCode);
        var conflicts = (await clash.JsonAsync()).GetProperty("conflicts").EnumerateArray().ToList();
        var conflict = Assert.Single(conflicts);
        Assert.Equal(SampleDistrict.Township1Centre, conflict.GetProperty("siteId").GetGuid());
        Assert.Equal(firstId, conflict.GetProperty("bookingId").GetGuid());
        Assert.Equal($"{day.AddDays(1):yyyy-MM-dd}T01:00:00Z", conflict.GetProperty("start").GetString());
        Assert.True(touching.StatusCode == HttpStatusCode.Created, await touching.Content.ReadAsStringAsync()); // ends exactly when the next begins: no conflict
    }

    [Fact]
    public async Task OneOccurrence_MovedAndAnotherCancelled_SeriesKeepsTheRest_AndIcsSaysSo()
    {
        var admin = await hub.LoginAsync();
        var day = Day();
        var created = await (await admin.PostJsonAsync("/api/bookings", Booking(day, "FREQ=DAILY;COUNT=3", [SampleDistrict.KioskOfVillage1Of2]) )).JsonAsync();
        var id = created.GetProperty("id").GetGuid();
        var second = $"{day.AddDays(1):yyyy-MM-dd}T01:00:00Z";
        var third = $"{day.AddDays(2):yyyy-MM-dd}T01:00:00Z";

        var moved = await admin.PutJsonAsync($"/api/bookings/{id}/occurrences/{second}", new { start = Local(day.AddDays(1), 14), end = Local(day.AddDays(1), 15) });
        var cancelled = await admin.DeleteAsync($"/api/bookings/{id}/occurrences/{third}").WaitAsync(TestTimeouts.Request);
        var booking = await admin.GetJsonAsync($"/api/bookings/{id}");
        var ics = await (await admin.GetAsync($"/api/bookings/{id}.ics").WaitAsync(TestTimeouts.Request)).Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, cancelled.StatusCode);
        var starts = booking.GetProperty("occurrences").EnumerateArray().Select(o => o.GetProperty("start").GetString()).ToList();
        Assert.Equal([$"{day:yyyy-MM-dd}T01:00:00Z", $"{day.AddDays(1):yyyy-MM-dd}T06:00:00Z"], starts);
        Assert.Contains("RRULE:FREQ=DAILY;COUNT=3\r\n", ics, StringComparison.Ordinal);
        Assert.Contains($"EXDATE:{day.AddDays(2):yyyyMMdd}T010000Z\r\n", ics, StringComparison.Ordinal);
        Assert.Contains($"RECURRENCE-ID:{day.AddDays(1):yyyyMMdd}T010000Z\r\n", ics, StringComparison.Ordinal);
        Assert.Contains($"DTSTART:{day.AddDays(1):yyyyMMdd}T060000Z\r\n", ics, StringComparison.Ordinal);
        Assert.StartsWith("BEGIN:VCALENDAR\r\n", ics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeriesEdited_ThenCancelled_SitesAreNotified()
    {
        var admin = await hub.LoginAsync();
        var created = await admin.PostJsonAsync("/api/users", new { username = "v11staff" + Guid.NewGuid().ToString("N")[..4], password = "Village-pass1", displayName = "村干部", role = "StationAttendant", orgUnitId = SampleDistrict.Village1Of1 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var villager = await hub.LoginAsync((await created.JsonAsync()).GetProperty("username").GetString()!, "Village-pass1");
        var day = Day();
        var booking = await (await admin.PostJsonAsync("/api/bookings", Booking(day, sites: [SampleDistrict.DistrictCentre, SampleDistrict.KioskOfVillage1Of1]))).JsonAsync();
        var id = booking.GetProperty("id").GetGuid();

        var edited = await admin.PutJsonAsync($"/api/bookings/{id}", new { title = "组织工作例会(改)" });
        var cancelled = await admin.DeleteAsync($"/api/bookings/{id}").WaitAsync(TestTimeouts.Request);
        var inbox = await villager.GetJsonAsync("/api/notices");

        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, cancelled.StatusCode);
        var kinds = inbox.EnumerateArray().Where(n => n.GetProperty("bookingId").GetString() == id.ToString()).Select(n => n.GetProperty("kind").GetString()).ToList();
        Assert.Contains("booking", kinds);
        Assert.Contains("cancellation", kinds);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/bookings/{id}/occurrences/{day:yyyy-MM-dd}T01:00:00Z").WaitAsync(TestTimeouts.Request)).StatusCode);
    }

    public static TheoryData<string, string> BadBookings => new()
    {
        { """{"title":"x","start":"2020-01-01T09:00:00","end":"2020-01-01T10:00:00","siteIds":["SITE"]}""", "start" },
        { """{"title":"x","start":"DAY09","end":"DAY08","siteIds":["SITE"]}""", "end" },
        { """{"title":"x","start":"DAY09","end":"DAY10","siteIds":["SITE"],"recurrence":"FREQ=YEARLY"}""", "recurrence" },
        { """{"title":"x","start":"DAY09","end":"DAY10","siteIds":["SITE"],"recurrence":"FREQ=DAILY;BYHOUR=9"}""", "recurrence" },
        { """{"title":"x","start":"DAY09","end":"DAY10","siteIds":["SITE"],"recurrence":"FREQ=DAILY;COUNT=2;UNTIL=20300101"}""", "recurrence" },
        { """{"title":"x","start":"DAY09","end":"DAY10","siteIds":["SITE","00000000-0000-0000-0000-000000000001"]}""", "siteIds[1]" },
        { """{"title":"x","start":"DAY09","end":"DAY10","siteIds":["SITE"],"timeZone":"Mars/Olympus"}""", "timeZone" },
        { """{"title":"x","start":"DAY09","end":"DAY10","siteIds":[]}""", "siteIds" },
        { """{"title":"x","start":"DAY09","end":"DAY+1-10","siteIds":["SITE"]}""", "end" },
        { """{"start":"DAY09","end":"DAY10","siteIds":["SITE"]}""", "title" },
        { """{"title":"x","start":"yesterday","end":"DAY10","siteIds":["SITE"]}""", "start" },
        { """{"title":"x","start":"DAY09","end":"DAY10","siteIds":["SITE"],"prepareMinutes":-5}""", "prepareMinutes" },
        { """{"title":"x","start":"DAY09","end":"DAY10","siteIds":["SITE"],"mainVenueSiteId":"00000000-0000-0000-0000-000000000002"}""", "mainVenueSiteId" },
    };

    [Theory]
    [MemberData(nameof(BadBookings))]
    public async Task BadBooking_Is400NamingTheField(string json, string field)
    {
        var admin = await hub.LoginAsync();
        var day = Day();
        json = json.Replace("SITE", SampleDistrict.KioskOfVillage2Of1.ToString(), StringComparison.Ordinal)
            .Replace("DAY+1-10", Local(day.AddDays(1), 10), StringComparison.Ordinal)
            .Replace("DAY09", Local(day, 9), StringComparison.Ordinal)
            .Replace("DAY10", Local(day, 10), StringComparison.Ordinal)
            .Replace("DAY08", Local(day, 8), StringComparison.Ordinal);

        var response = await admin.PostAsync("/api/bookings", new StringContent(json, System.Text.Encoding.UTF8, "application/json")).WaitAsync(TestTimeouts.Request);
        var body = await response.JsonAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), body.ToString());
    }

    [Fact]
    public async Task UnknownEnumOrMalformedJson_Is400_NotACrash()
    {
        var admin = await hub.LoginAsync();

        var badMode = await admin.PostAsync("/api/bookings", new StringContent("""{"title":"x","launchMode":"Teleport"}""", System.Text.Encoding.UTF8, "application/json")).WaitAsync(TestTimeouts.Request);
        var broken = await admin.PostAsync("/api/bookings", new StringContent("""{"title":""", System.Text.Encoding.UTF8, "application/json")).WaitAsync(TestTimeouts.Request);
        var badOccurrence = await admin.GetAsync($"/api/bookings/{Guid.NewGuid()}/occurrences/not-a-time").WaitAsync(TestTimeouts.Request);
        var badWindow = await admin.GetAsync("/api/bookings?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z").WaitAsync(TestTimeouts.Request);

        Assert.Equal(HttpStatusCode.BadRequest, badMode.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, badOccurrence.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badWindow.StatusCode);
        Assert.Equal("to", (await badWindow.JsonAsync()).GetProperty("errors").EnumerateObject().Single().Name);
    }
}
