using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using VideoLink.Hub.Tests.Conference;
using VideoLink.Hub.Tests.Infrastructure;
using VideoLink.Media.Tests.Interop;
using VideoLink.Media.Tests.Support;
using Xunit.Abstractions;
using static VideoLink.Hub.Tests.Infrastructure.BrowserHub;

namespace VideoLink.Hub.Tests.Bookings;

/// <summary>
/// The console's site terminal (/terminal, 会场终端) in headless Chromium: a village's attendant signs in, finds the
/// district meeting that invited the village while it runs, joins with one click on the village's behalf, sees and hears
/// the main venue (a python3-aiortc camera joined for the district centre), the room shows the leg for the village's
/// site, and leaving takes it out of the room again. A meeting that starts while the page is open appears by itself.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class TerminalPageBrowserTests(ChromiumFixture chromium, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = BrowserHub.Timeout;

    private const string AttendantPassword = "Terminal-pass1";

    private static readonly LocatorAssertionsToBeVisibleOptions Visible = new() { Timeout = 45_000 };

    [Fact]
    public async Task VillageAttendant_JoinsTheRunningMeetingFromTheTerminalPage_SeesTheMainVenue_AndLeaves()
    {
        var (factory, hub, admin, attendant) = await StartHubWithVillageAttendantAsync();
        await using var hubProcess = factory;
        using var adminClient = admin;
        await RunningMeeting.BookAsync(admin, "组织工作例会", TimeSpan.FromMinutes(10));
        var live = await RoomApi.UntilAsync(admin, "/api/meetings/live", m => m.GetArrayLength() > 0, "the meeting launching", Timeout);
        var roomId = live[0].GetProperty("roomId").GetGuid();

        // The district centre's camera (aiortc) is in the room first: it is the main venue the village should see.
        await using var districtCamera = AiortcProcess.Start("aiortc_publisher.py", "video", 90);
        var offer = await districtCamera.ReadOfferAsync().WaitAsync(Timeout);
        var district = await admin.PostAsync($"/whip/{roomId}?site={SampleDistrict.DistrictCentre}", new StringContent(offer, Encoding.UTF8, new MediaTypeHeaderValue("application/sdp")));
        Assert.True(district.StatusCode == HttpStatusCode.Created, await district.Content.ReadAsStringAsync());
        await districtCamera.SendAnswerAsync(await district.Content.ReadAsStringAsync());

        var context = await chromium.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1366, Height = 768 }, Locale = "zh-CN" }).WaitAsync(Timeout);
        var errors = new List<string>();
        try
        {
            var page = await SignInToTerminalAsync(context, hub, attendant);
            page.PageError += (_, e) => errors.Add(e);
            await Assertions.Expect(page.Locator("[data-page=\"terminal\"]")).ToBeVisibleAsync(Visible);
            await Assertions.Expect(page.Locator("[data-page=\"terminal\"] .el-table__row", new() { HasText = "组织工作例会" })).ToBeVisibleAsync(Visible);
            await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "terminal-list.png") }).WaitAsync(Timeout);

            await page.ClickAsync("[data-action=\"join\"]").WaitAsync(Timeout);
            await Assertions.Expect(page.Locator("[data-state=\"in-call\"]")).ToBeVisibleAsync(Visible);
            await Assertions.Expect(page.Locator("[data-field=\"meeting-title\"]")).ToHaveTextAsync("组织工作例会");

            // The village sees the main venue and hears the room, from its own peer connection's statistics.
            var stats = default(JsonElement);
            var until = DateTime.UtcNow + Timeout;
            while (DateTime.UtcNow < until)
            {
                stats = await StatsAsync(page);
                if (Inbound(stats, "video", "framesDecoded") >= 10 && Inbound(stats, "audio", "packetsReceived") > 0)
                {
                    break;
                }

                await Task.Delay(200);
            }

            output.WriteLine("terminal page: " + stats);
            Assert.True(Inbound(stats, "video", "framesDecoded") >= 10, $"the terminal decoded no video of the main venue: {stats}");
            Assert.True(Inbound(stats, "audio", "packetsReceived") > 0, $"the terminal got no audio: {stats}");

            // Its leg is in the room for the village's site (so the time counts in attendance).
            var room = await RoomApi.UntilAsync(admin, $"/api/rooms/{roomId}", r => r.GetProperty("legs").EnumerateArray()
                .Any(l => l.TryGetProperty("siteId", out var s) && s.ValueKind == JsonValueKind.String && s.GetGuid() == SampleDistrict.KioskOfVillage1Of1
                    && l.GetProperty("state").GetString() == "connected"), "the terminal's leg connecting", Timeout);
            await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "terminal-call.png") }).WaitAsync(Timeout);

            await page.ClickAsync("[data-action=\"leave\"]").WaitAsync(Timeout);
            await Assertions.Expect(page.Locator("[data-state=\"in-call\"]")).ToHaveCountAsync(0, new() { Timeout = 45_000 });
            await RoomApi.UntilAsync(admin, $"/api/rooms/{roomId}", r => !r.GetProperty("legs").EnumerateArray()
                .Any(l => l.TryGetProperty("siteId", out var s) && s.ValueKind == JsonValueKind.String && s.GetGuid() == SampleDistrict.KioskOfVillage1Of1), "the terminal's leg leaving", Timeout);
            Assert.Empty(errors);
            Assert.Equal(2, room.GetProperty("legs").GetArrayLength());
        }
        finally
        {
            await context.CloseAsync().WaitAsync(Timeout);
        }
    }

    [Fact]
    public async Task VillageAttendant_OnTheTerminalPage_SeesTheMeetingAppearWhenItStarts_WithTheJoinPromptToast()
    {
        var (factory, hub, admin, attendant) = await StartHubWithVillageAttendantAsync();
        await using var hubProcess = factory;
        using var adminClient = admin;

        var context = await chromium.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1366, Height = 768 }, Locale = "zh-CN" }).WaitAsync(Timeout);
        try
        {
            var page = await SignInToTerminalAsync(context, hub, attendant);
            await Assertions.Expect(page.Locator("[data-page=\"terminal\"] .el-empty")).ToBeVisibleAsync(Visible);

            // Nothing runs yet; the meeting starts while the page is open. The page's own refresh is a minute apart,
            // so a row within 12 s of the launch is the hub's push (meetingLive), and the join prompt pops up as well.
            await RunningMeeting.BookAsync(admin, "组织工作例会", TimeSpan.FromMinutes(10));
            await RoomApi.UntilAsync(admin, "/api/meetings/live", m => m.GetArrayLength() > 0, "the meeting launching", Timeout);
            var pushed = new LocatorAssertionsToBeVisibleOptions { Timeout = 12_000 };
            await Assertions.Expect(page.Locator("[data-page=\"terminal\"] .el-table__row", new() { HasText = "组织工作例会" })).ToBeVisibleAsync(pushed);
            await Assertions.Expect(page.Locator(".el-notification", new() { HasText = "会议已开始" })).ToBeVisibleAsync(pushed);
            await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "terminal-pushed.png") }).WaitAsync(Timeout);
        }
        finally
        {
            await context.CloseAsync().WaitAsync(Timeout);
        }
    }

    /// <summary>A hub on a real port (the browser needs one), its admin signed in, and a new attendant of village 1.</summary>
    private static async Task<(HubFactory Factory, Uri Hub, HttpClient Admin, string Attendant)> StartHubWithVillageAttendantAsync()
    {
        var port = FreePort();
        var factory = new HubFactory();
        factory.UseKestrel(port);
        factory.StartServer();
        var hub = new Uri($"http://127.0.0.1:{port}");
        var admin = await LoginAsync(hub, "admin", HubFactory.AdminPassword);
        var username = "att" + Guid.NewGuid().ToString("N")[..8];
        var created = await admin.PostJsonAsync("/api/users", new { username, password = AttendantPassword, displayName = "村值班员", role = "StationAttendant", orgUnitId = SampleDistrict.Village1Of1 });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return (factory, hub, admin, username);
    }

    /// <summary>Signs the attendant in through the login page, which sends them on to /terminal.</summary>
    private static async Task<IPage> SignInToTerminalAsync(IBrowserContext context, Uri hub, string attendant)
    {
        var page = await context.NewPageAsync().WaitAsync(Timeout);
        page.SetDefaultTimeout(45_000);
        await page.GotoAsync(new Uri(hub, "/login?redirect=%2Fterminal").ToString()).WaitAsync(Timeout);
        await page.FillAsync("input[autocomplete=\"username\"]", attendant).WaitAsync(Timeout);
        await page.FillAsync("input[autocomplete=\"current-password\"]", AttendantPassword).WaitAsync(Timeout);
        await page.ClickAsync("button[type=\"submit\"]").WaitAsync(Timeout);
        return page;
    }
}
