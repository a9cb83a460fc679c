using System.Globalization;
using System.Net;
using VideoLink.Hub.Tests.Infrastructure;

namespace VideoLink.Hub.Tests.Bookings;

/// <summary>A district meeting booked to start two seconds from now, inviting the district centre (main venue) and the
/// first village's kiosk site, launched with one touch (nothing dialled): what the site-terminal tests join.</summary>
internal static class RunningMeeting
{
    private static string Iso(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static async Task BookAsync(HttpClient admin, string title, TimeSpan length)
    {
        var start = DateTime.UtcNow.AddSeconds(2);
        start = start.AddTicks(-(start.Ticks % TimeSpan.TicksPerSecond));
        var booked = await admin.PostJsonAsync("/api/bookings", new
        {
            title,
            organizerOrgUnitId = SampleDistrict.District,
            start = Iso(start),
            end = Iso(start + length),
            siteIds = new[] { SampleDistrict.DistrictCentre, SampleDistrict.KioskOfVillage1Of1 },
            mainVenueSiteId = SampleDistrict.DistrictCentre,
            launchMode = "OneTouch",
            prepareMinutes = 0,
        });
        Assert.True(booked.StatusCode == HttpStatusCode.Created, await booked.Content.ReadAsStringAsync());
    }
}
