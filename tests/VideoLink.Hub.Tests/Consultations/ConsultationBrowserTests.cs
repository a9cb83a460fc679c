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
/// doctor accepts over the API, both pages publish over WHIP and play over WHEP through the hub's media port, the
/// doctor's page decodes the kiosk's video, the kiosk hangs up and rates, and the record's durations and rating match.
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

    /// <summary>Offer from the page, answer from the hub (WHIP or WHEP, with the side's own token), answer into the page.</summary>
    private static async Task<string> JoinAsync(IPage page, HttpClient side, string door, Guid room)
    {
        var offer = await page.EvaluateAsync<string>(door == "whip" ? "() => window.vlPublish()" : "() => window.vlSubscribe()").WaitAsync(Timeout);
        var response = await side.PostAsync($"/{door}/{room}", Sdp(offer)).WaitAsync(Timeout);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{door}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        await page.EvaluateAsync("([which, sdp]) => window.vlAnswer(which, sdp)", new object[] { door == "whip" ? "pub" : "sub", await response.Content.ReadAsStringAsync() }).WaitAsync(Timeout);
        return response.Headers.Location!.ToString();
    }

    private static async Task<double> FramesAsync(IPage page, double atLeast)
    {
        double frames = 0;
        var until = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < until && frames < atLeast)
        {
            frames = (await page.EvaluateAsync<JsonElement>("() => window.vlStats()").WaitAsync(Timeout)).GetProperty("framesDecoded").GetDouble();
            if (frames < atLeast)
            {
                await Task.Delay(100);
            }
        }

        return frames;
    }

    [Fact]
    public async Task KioskAndExpertPages_CompleteAConsultationWithMedia_RecordShowsDurationsAndRating()
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

            // The kiosk publishes first, so the doctor's player is fed by the kiosk's camera whatever the router selects.
            await JoinAsync(kioskPage, kiosk, "whip", room);
            await JoinAsync(expertPage, doctor.Http, "whep", room);
            await JoinAsync(expertPage, doctor.Http, "whip", room);
            await JoinAsync(kioskPage, kiosk, "whep", room);
            var doctorFrames = await FramesAsync(expertPage, 10);
            var kioskFrames = await FramesAsync(kioskPage, 1);
            var legs = (await admin.GetJsonAsync($"/api/rooms/{room}")).GetProperty("legs").GetArrayLength();
            await expertPage.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, "consultation-expert.png") }).WaitAsync(Timeout);

            var endStart = clock.Elapsed;
            var ended = await kiosk.PostJsonAsync($"/api/consultations/{id}/end", new { });
            var endDone = clock.Elapsed;
            var rated = await kiosk.PostJsonAsync($"/api/consultations/{id}/rating", new { rating = "满意" });
            var record = await admin.GetJsonAsync($"/api/consultations/{id}");
            var list = await admin.GetJsonAsync($"/api/consultations?siteId={SampleDistrict.KioskOfVillage1Of1}&outcome=Answered");
            var rejoin = await kiosk.PostAsync($"/whip/{room}", Sdp("v=0")).WaitAsync(Timeout);

            output.WriteLine($"doctor decoded {doctorFrames} frames, kiosk {kioskFrames}; legs {legs}; wait {record.GetProperty("waitSeconds")} s, talk {record.GetProperty("talkSeconds")} s");
            Assert.Equal(id, offer.GetProperty("id").GetGuid());
            Assert.True(doctorFrames >= 10, $"the doctor's page decoded {doctorFrames} frames of the kiosk's video");
            Assert.True(kioskFrames >= 1, $"the kiosk's page decoded {kioskFrames} frames");
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
