using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using VideoLink.Hub.Tests.Infrastructure;
using VideoLink.Media.Tests.Interop;
using Xunit.Abstractions;
using static VideoLink.Hub.Tests.Consultations.ConsultationClients;

namespace VideoLink.Hub.Tests.Consultations;

/// <summary>
/// A whole 服务面对面 consultation with real headless Chromium on both sides: the kiosk page asks for a doctor, the
/// doctor accepts over the API, both pages publish over WHIP and play over WHEP (naming their own WHIP session)
/// through the hub's media port, each page decodes the other's video (told apart by picture size) and hears the room,
/// the kiosk hangs up and rates, and the record's durations and rating match.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class ConsultationBrowserTests(ChromiumFixture chromium, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static readonly string Screenshots = Environment.GetEnvironmentVariable("VIDEOLINK_SCREENSHOTS")
        ?? Path.Combine(AppContext.BaseDirectory, "screenshots");

    private static StringContent Sdp(string sdp) => new(sdp, Encoding.UTF8, new MediaTypeHeaderValue("application/sdp"));

    private static async Task<IPage> AppPageAsync(ChromiumFixture chromium)
    {
        var page = await chromium.NewPageAsync();
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = Path.Combine(AppContext.BaseDirectory, "TestData", "consult-peer.js") }).WaitAsync(Timeout);
        return page;
    }

    /// <summary>
    /// Offer from the page, answer from the hub (WHIP or WHEP, with the side's own token), answer into the page. A WHEP
    /// player names the side's WHIP session (<paramref name="publisher"/>) so the room treats the two as one person.
    /// </summary>
    private static async Task<string> JoinAsync(IPage page, HttpClient side, string door, Guid room, (int Width, int Height) size = default, string? publisher = null)
    {
        var offer = await page.EvaluateAsync<string>(door == "whip" ? $"() => window.vlPublish({size.Width}, {size.Height})" : "() => window.vlSubscribe()").WaitAsync(Timeout);
        var query = publisher is null ? "" : "?publisher=" + publisher[(publisher.LastIndexOf('/') + 1)..];
        var response = await side.PostAsync($"/{door}/{room}{query}", Sdp(offer)).WaitAsync(Timeout);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{door}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        await page.EvaluateAsync("([which, sdp]) => window.vlAnswer(which, sdp)", new object[] { door == "whip" ? "pub" : "sub", await response.Content.ReadAsStringAsync() }).WaitAsync(Timeout);
        return response.Headers.Location!.ToString();
    }

    /// <summary>
    /// The page's player statistics once it has decoded <paramref name="atLeast"/> frames of a picture of the given
    /// shape (or the last seen at the deadline). The shape, not the size, tells the sender apart: Chromium may scale a
    /// stream down while its bandwidth estimate is low.
    /// </summary>
    private static async Task<JsonElement> FramesAsync(IPage page, double atLeast, bool wide)
    {
        JsonElement stats = default;
        var until = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < until)
        {
            stats = await page.EvaluateAsync<JsonElement>("() => window.vlStats()").WaitAsync(Timeout);
            if (stats.GetProperty("framesDecoded").GetDouble() >= atLeast && IsWide(stats) == wide)
            {
                break;
            }

            await Task.Delay(100);
        }

        return stats;
    }

    /// <summary>True for a 16:9 picture, false for 4:3, null before the first decoded frame.</summary>
    private static bool? IsWide(JsonElement stats)
    {
        var w = stats.GetProperty("frameWidth").GetDouble();
        var h = stats.GetProperty("frameHeight").GetDouble();
        return w > 0 && h > 0 ? w / h > 1.5 : null;
    }

    [Fact]
    public async Task KioskAndExpertPages_EachDecodesTheOthersVideo_RecordShowsDurationsAndRating()
    {
        await using var hub = HubFactory.With(new() { ["Consultations:RingSeconds"] = "60" });
        var admin = await hub.LoginAsync();
        var doctor = await ExpertAsync(hub, admin, SampleDistrict.HealthStation1);
        var (kiosk, _) = await KioskAsync(hub, admin, SampleDistrict.KioskOfVillage1Of1);
        var kioskPage = await AppPageAsync(chromium);
        var expertPage = await AppPageAsync(chromium);
        try
        {
            var clock = Stopwatch.StartNew();
            var id = (await RequestAsync(kiosk, SampleDistrict.KioskOfVillage1Of1)).GetProperty("id").GetGuid();
            var offer = await OfferAsync(doctor, id);
            var acceptStart = clock.Elapsed;
            var room = await AcceptAsync(doctor, id);
            var acceptDone = clock.Elapsed;

            // The kiosk publishes first (it becomes the room's main venue); without the pairing its own player would be
            // fed its own camera. The kiosk sends 4:3 (320×240), the doctor 16:9 (640×360).
            var kioskWhip = await JoinAsync(kioskPage, kiosk, "whip", room, (320, 240));
            var doctorWhip = await JoinAsync(expertPage, doctor.Http, "whip", room, (640, 360));
            await JoinAsync(expertPage, doctor.Http, "whep", room, publisher: doctorWhip);
            await JoinAsync(kioskPage, kiosk, "whep", room, publisher: kioskWhip);
            var notMine = await kiosk.PostAsync($"/whep/{room}?publisher={doctorWhip[(doctorWhip.LastIndexOf('/') + 1)..]}", Sdp("v=0")).WaitAsync(Timeout);
            var doctorSees = await FramesAsync(expertPage, 10, wide: false);
            var kioskSees = await FramesAsync(kioskPage, 10, wide: true);
            var doctorFrames = doctorSees.GetProperty("framesDecoded").GetDouble();
            var kioskFrames = kioskSees.GetProperty("framesDecoded").GetDouble();
            var legs = (await admin.GetJsonAsync($"/api/rooms/{room}")).GetProperty("legs").GetArrayLength();
            await expertPage.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, "consultation-expert.png") }).WaitAsync(Timeout);

            var endStart = clock.Elapsed;
            var ended = await kiosk.PostJsonAsync($"/api/consultations/{id}/end", new { });
            var endDone = clock.Elapsed;
            var rated = await kiosk.PostJsonAsync($"/api/consultations/{id}/rating", new { rating = "满意" });
            var record = await admin.GetJsonAsync($"/api/consultations/{id}");
            var list = await admin.GetJsonAsync($"/api/consultations?siteId={SampleDistrict.KioskOfVillage1Of1}&outcome=Answered");
            var rejoin = await kiosk.PostAsync($"/whip/{room}", Sdp("v=0")).WaitAsync(Timeout);

            output.WriteLine($"doctor sees {doctorSees}; kiosk sees {kioskSees}; legs {legs}; wait {record.GetProperty("waitSeconds")} s, talk {record.GetProperty("talkSeconds")} s");
            Assert.Equal(id, offer.GetProperty("id").GetGuid());
            Assert.True(doctorFrames >= 10, $"the doctor's page decoded {doctorFrames} frames of the kiosk's video");
            Assert.True(kioskFrames >= 10, $"the kiosk's page decoded {kioskFrames} frames of the doctor's video");
            Assert.False(IsWide(doctorSees), "the doctor's page does not show the kiosk's 4:3 camera"); // the kiosk's camera
            Assert.True(IsWide(kioskSees), "the kiosk's page does not show the doctor's 16:9 camera"); // the doctor's, not its own
            Assert.True(doctorSees.GetProperty("audioPackets").GetDouble() > 0, "the doctor's player got no audio");
            Assert.True(kioskSees.GetProperty("audioPackets").GetDouble() > 0, "the kiosk's player got no audio");
            Assert.Equal(HttpStatusCode.Conflict, notMine.StatusCode); // a player cannot pair with someone else's publisher
            Assert.Equal(4, legs);
            Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
            Assert.Equal(HttpStatusCode.OK, rated.StatusCode);
            Assert.Equal("Answered", record.GetProperty("outcome").GetString());
            Assert.Equal("满意", record.GetProperty("rating").GetString());
            Assert.Equal(room, record.GetProperty("roomId").GetGuid());
            // Wait: request → accept, inside what the test observed; talk: accept → end, likewise.
            Assert.InRange(record.GetProperty("waitSeconds").GetDouble(), 0, acceptDone.TotalSeconds + 0.05);
            Assert.InRange(record.GetProperty("talkSeconds").GetDouble(), (endStart - acceptDone).TotalSeconds - 0.05, (endDone - acceptStart).TotalSeconds + 0.05);
            Assert.Contains(list.EnumerateArray(), r => r.GetProperty("id").GetGuid() == id);
            Assert.Equal(HttpStatusCode.NotFound, rejoin.StatusCode); // the room closed with the call
            var closed = await hub.WithDatabaseAsync(db => db.Rooms.Where(r => r.Id == room).Select(r => r.ClosedUtc).SingleAsync());
            Assert.NotNull(closed);
        }
        finally
        {
            await kioskPage.EvaluateAsync("() => window.vlClose()").WaitAsync(Timeout);
            await expertPage.EvaluateAsync("() => window.vlClose()").WaitAsync(Timeout);
            await kioskPage.CloseAsync().WaitAsync(Timeout);
            await expertPage.CloseAsync().WaitAsync(Timeout);
        }
    }
}
