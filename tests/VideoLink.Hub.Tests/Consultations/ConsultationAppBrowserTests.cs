using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Playwright;
using VideoLink.Hub.Tests.Infrastructure;
using VideoLink.Media.Tests.Interop;
using Xunit.Abstractions;
using static VideoLink.Hub.Tests.Infrastructure.BrowserHub;

namespace VideoLink.Hub.Tests.Consultations;

/// <summary>
/// The real kiosk app (/kiosk) and expert app (/expert) in headless Chromium against a hub on a real loopback port:
/// the villager touches a category, the expert's desk rings through the live push and is answered, both pages' own
/// <c>window.__videolinkStats()</c> show video and audio arriving and growing in both directions, the expert hands the
/// call to a second expert whose desk rings and takes over in the same room, who invites the first back as a
/// specialist (会诊) and the invited desk joins with media flowing, the villager hangs up, rates 满意 on
/// the screen, and the start screen comes back by itself. Screenshots of both apps (kiosk landscape and portrait) go
/// to the test output.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class ConsultationAppBrowserTests(ChromiumFixture chromium, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = BrowserHub.Timeout;

    private static readonly LocatorAssertionsToBeVisibleOptions Visible = new() { Timeout = 45_000 };

    private static readonly string Screenshots = Environment.GetEnvironmentVariable("VIDEOLINK_SCREENSHOTS")
        ?? Path.Combine(AppContext.BaseDirectory, "screenshots");

    private sealed record Expert(HttpClient Http, Guid Id, string Username, string Name);

    private static async Task<Expert> ExpertAsync(Uri hub, HttpClient admin, string presence)
    {
        var username = "ex" + Guid.NewGuid().ToString("N")[..10];
        var name = "专家" + username[^4..];
        var created = await admin.PostJsonAsync("/api/experts", new { username, password = "Expert-pass1", displayName = name, siteId = SampleDistrict.HealthStation1, categories = new[] { "medical" } });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = (await created.JsonAsync()).GetProperty("id").GetGuid();
        var http = await LoginAsync(hub, username, "Expert-pass1");
        var set = await http.PutJsonAsync("/api/experts/me/presence", new { status = presence });
        Assert.True(set.StatusCode == HttpStatusCode.OK, await set.Content.ReadAsStringAsync());
        return new Expert(http, id, username, name);
    }

    private async Task<IPage> PageAsync(IBrowserContext context, List<string> errors, string who)
    {
        var page = await context.NewPageAsync().WaitAsync(Timeout);
        page.SetDefaultTimeout(45_000);
        page.Console += (_, m) =>
        {
            if (m.Type == "error")
            {
                lock (errors)
                {
                    errors.Add($"{who}: {m.Text}");
                }
            }
        };
        page.Response += (_, r) =>
        {
            if (r.Status >= 400)
            {
                lock (errors)
                {
                    errors.Add($"{who}: {r.Status} {r.Request.Method} {r.Url}");
                }
            }
        };
        page.PageError += (_, e) =>
        {
            lock (errors)
            {
                errors.Add($"{who}: {e}");
            }
        };
        return page;
    }

    private static async Task SignInAsync(IPage page, Uri hub, string username)
    {
        await page.GotoAsync(new Uri(hub, "/login?redirect=%2Fexpert").ToString()).WaitAsync(Timeout);
        await page.FillAsync("input[autocomplete=\"username\"]", username).WaitAsync(Timeout);
        await page.FillAsync("input[autocomplete=\"current-password\"]", "Expert-pass1").WaitAsync(Timeout);
        await page.ClickAsync("button[type=\"submit\"]").WaitAsync(Timeout);
        // The app routes in place (history API): the desk's own element is the sign that sign-in went through.
        await Assertions.Expect(page.Locator("[data-app=\"expert\"]")).ToBeVisibleAsync(Visible);
        Assert.Equal("/expert", new Uri(page.Url).AbsolutePath);
        await Assertions.Expect(page.Locator("[data-testid=\"live-state\"][data-state=\"live\"]")).ToBeVisibleAsync(Visible);
    }

    /// <summary>
    /// Waits until the page decodes video and receives audio, then samples again two seconds later: every inbound
    /// counter must have grown (media keeps flowing, not just a first burst). Returns both samples for the log.
    /// </summary>
    private async Task<(JsonElement First, JsonElement Second)> MediaFlowsAsync(IPage page, string who, double framesAbove = 0)
    {
        var until = DateTime.UtcNow + Timeout;
        JsonElement first = default;
        while (DateTime.UtcNow < until)
        {
            first = await StatsAsync(page);
            if (Inbound(first, "video", "framesDecoded") > framesAbove && Inbound(first, "audio", "packetsReceived") > 0)
            {
                break;
            }

            await Task.Delay(200);
        }

        JsonElement second = first;
        var grown = DateTime.UtcNow + Timeout;
        await Task.Delay(2_000);
        while (DateTime.UtcNow < grown)
        {
            second = await StatsAsync(page);
            if (Grew(first, second))
            {
                break;
            }

            await Task.Delay(200);
        }

        output.WriteLine($"{who}: {first} → {second}");
        Assert.True(Inbound(first, "video", "framesDecoded") > framesAbove, $"{who} decoded no video: {first}");
        foreach (var kind in new[] { "video", "audio" })
        {
            foreach (var counter in new[] { "packetsReceived", "bytesReceived" })
            {
                Assert.True(Inbound(second, kind, counter) > Inbound(first, kind, counter), $"{who}: inbound {kind} {counter} did not grow ({first} → {second})");
            }
        }

        Assert.True(Inbound(second, "video", "framesDecoded") > Inbound(first, "video", "framesDecoded"), $"{who}: framesDecoded did not grow");
        return (first, second);
    }

    private static bool Grew(JsonElement a, JsonElement b) =>
        new[] { "video", "audio" }.All(k => Inbound(b, k, "packetsReceived") > Inbound(a, k, "packetsReceived") && Inbound(b, k, "bytesReceived") > Inbound(a, k, "bytesReceived"))
        && Inbound(b, "video", "framesDecoded") > Inbound(a, "video", "framesDecoded");

    private static Task ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, name + ".png") }).WaitAsync(Timeout);

    [Fact]
    public async Task KioskAndExpertApps_TalkBothWays_TransferToASecondExpert_VillagerRates()
    {
        Directory.CreateDirectory(Screenshots);
        var port = FreePort();
        await using var factory = HubFactory.With(new()
        {
            ["Consultations:RingSeconds"] = "60",
            ["Consultations:PositionPushMilliseconds"] = "200",
        });
        factory.UseKestrel(port);
        factory.StartServer();
        var hub = new Uri($"http://127.0.0.1:{port}");
        using var admin = await LoginAsync(hub, "admin", HubFactory.AdminPassword);
        var first = await ExpertAsync(hub, admin, "Available");
        var second = await ExpertAsync(hub, admin, "Away"); // off duty until the transfer, so the first request rings the first expert
        var issued = await admin.PostJsonAsync($"/api/sites/{SampleDistrict.KioskOfVillage1Of1}/kiosk-token", new { });
        var kioskToken = (await issued.JsonAsync()).GetProperty("token").GetString()!;

        var errors = new List<string>();
        var kioskContext = await chromium.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1920, Height = 1080 }, Locale = "zh-CN", HasTouch = true }).WaitAsync(Timeout);
        var expertContext = await chromium.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 }, Locale = "zh-CN" }).WaitAsync(Timeout);
        var secondContext = await chromium.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 }, Locale = "zh-CN" }).WaitAsync(Timeout);
        try
        {
            var kiosk = await PageAsync(kioskContext, errors, "kiosk");
            var expert = await PageAsync(expertContext, errors, "expert");
            var expert2 = await PageAsync(secondContext, errors, "expert2");
            await SignInAsync(expert, hub, first.Username);
            await SignInAsync(expert2, hub, second.Username);

            await kiosk.GotoAsync(new Uri(hub, $"/kiosk?site={SampleDistrict.KioskOfVillage1Of1}&token={Uri.EscapeDataString(kioskToken)}").ToString()).WaitAsync(Timeout);
            await Assertions.Expect(kiosk.Locator("[data-category=\"medical\"]")).ToBeVisibleAsync(Visible);
            await Assertions.Expect(kiosk.Locator("[data-app=\"kiosk\"][data-live=\"live\"]")).ToBeVisibleAsync(Visible); // pushes, not the fallback poll
            var labelSize = await kiosk.Locator("[data-category=\"medical\"] .tile-label").EvaluateAsync<double>("e => parseFloat(getComputedStyle(e).fontSize)").WaitAsync(Timeout);
            await ShotAsync(kiosk, "kiosk-landscape-start");
            await kiosk.SetViewportSizeAsync(1080, 1920).WaitAsync(Timeout);
            await ShotAsync(kiosk, "kiosk-portrait-start");
            await kiosk.SetViewportSizeAsync(1920, 1080).WaitAsync(Timeout);

            // The villager touches 医疗; the first expert's desk rings (pushed) with the village's name.
            await kiosk.Locator("[data-category=\"medical\"]").TapAsync().WaitAsync(Timeout);
            await Assertions.Expect(expert.Locator("[data-testid=\"offer\"]")).ToBeVisibleAsync(Visible);
            await Assertions.Expect(expert.Locator("[data-testid=\"offer-site\"]")).ToBeVisibleAsync(Visible);
            var offerSite = await expert.Locator("[data-testid=\"offer-site\"]").InnerTextAsync().WaitAsync(Timeout);
            var consultation = Guid.Parse((await expert.Locator("[data-testid=\"offer\"]").GetAttributeAsync("data-consultation").WaitAsync(Timeout))!);
            await Assertions.Expect(kiosk.Locator("[data-testid=\"waiting\"]")).ToBeVisibleAsync(Visible);
            await ShotAsync(kiosk, "kiosk-landscape-waiting");
            await ShotAsync(expert, "expert-ringing");

            await expert.ClickAsync("[data-testid=\"accept\"]").WaitAsync(Timeout);
            await Assertions.Expect(expert.Locator("[data-testid=\"call\"]")).ToBeVisibleAsync(Visible);
            await Assertions.Expect(kiosk.Locator("[data-testid=\"call\"]")).ToBeVisibleAsync(Visible);
            await Assertions.Expect(expert.Locator("[data-testid=\"site-name\"]")).Not.ToHaveTextAsync("站点读取中…", new() { Timeout = 45_000 });
            var callSite = await expert.Locator("[data-testid=\"site-name\"]").InnerTextAsync().WaitAsync(Timeout);
            var township = await expert.Locator("[data-testid=\"township\"]").InnerTextAsync().WaitAsync(Timeout);

            // Media both ways, read from each app's own peer connection.
            var kioskFlow = await MediaFlowsAsync(kiosk, "kiosk (hears and sees the first expert)");
            var expertFlow = await MediaFlowsAsync(expert, "first expert (hears and sees the kiosk)");
            await ShotAsync(kiosk, "kiosk-landscape-call");
            await kiosk.SetViewportSizeAsync(1080, 1920).WaitAsync(Timeout);
            await ShotAsync(kiosk, "kiosk-portrait-call");

            // Notes are saved to the record.
            await expert.Locator(".notes textarea").FillAsync("血压偏高，建议复查").WaitAsync(Timeout);
            await expert.ClickAsync("[data-testid=\"save-note\"]").WaitAsync(Timeout);
            await Assertions.Expect(expert.Locator("[data-testid=\"notes\"]")).ToContainTextAsync("血压偏高");
            await ShotAsync(expert, "expert-call");

            // Transfer to the second expert by name: their desk rings, they take over in the same room.
            var on = await second.Http.PutJsonAsync("/api/experts/me/presence", new { status = "Available" });
            Assert.Equal(HttpStatusCode.OK, on.StatusCode);
            await expert.ClickAsync("[data-testid=\"transfer\"]").WaitAsync(Timeout);
            await expert.Locator(".el-radio-button", new() { HasText = "转给指定专家" }).ClickAsync().WaitAsync(Timeout);
            await expert.Locator(".el-dialog .el-select:visible").ClickAsync().WaitAsync(Timeout);
            await expert.Locator(".el-select-dropdown__item", new() { HasText = second.Name }).ClickAsync().WaitAsync(Timeout);
            await ShotAsync(expert, "expert-transfer-dialog");
            await expert.ClickAsync("[data-testid=\"confirm-transfer\"]").WaitAsync(Timeout);
            await Assertions.Expect(expert.Locator("[data-testid=\"call\"]")).ToHaveCountAsync(0, new() { Timeout = 45_000 });
            await Assertions.Expect(kiosk.Locator("[data-testid=\"transferring\"]")).ToBeVisibleAsync(Visible);
            await ShotAsync(kiosk, "kiosk-portrait-transferring");
            await Assertions.Expect(expert2.Locator("[data-testid=\"offer\"]")).ToBeVisibleAsync(Visible);
            Assert.Equal(consultation.ToString(), await expert2.Locator("[data-testid=\"offer\"]").GetAttributeAsync("data-consultation").WaitAsync(Timeout));
            await expert2.ClickAsync("[data-testid=\"accept\"]").WaitAsync(Timeout);
            await Assertions.Expect(expert2.Locator("[data-testid=\"call\"]")).ToBeVisibleAsync(Visible);
            await Assertions.Expect(expert2.Locator("[data-testid=\"notes\"]")).ToContainTextAsync("血压偏高"); // the first expert's note came along
            await Assertions.Expect(kiosk.Locator("[data-testid=\"transferring\"]")).ToHaveCountAsync(0, new() { Timeout = 45_000 });
            var kioskAfter = await MediaFlowsAsync(kiosk, "kiosk (after the transfer, the second expert)", Inbound(kioskFlow.Second, "video", "framesDecoded"));
            var secondFlow = await MediaFlowsAsync(expert2, "second expert (hears and sees the kiosk)");
            await ShotAsync(expert2, "expert2-call");

            // The second expert invites the first back as a specialist (会诊): their desk shows the invitation, they join.
            await expert2.ClickAsync("[data-testid=\"invite\"]").WaitAsync(Timeout);
            await expert2.Locator(".el-dialog .el-select:visible").ClickAsync().WaitAsync(Timeout);
            await expert2.Locator(".el-select-dropdown__item:visible", new() { HasText = first.Name }).ClickAsync().WaitAsync(Timeout);
            await expert2.ClickAsync("[data-testid=\"confirm-invite\"]").WaitAsync(Timeout);
            await Assertions.Expect(expert.Locator("[data-testid=\"invitation\"]")).ToBeVisibleAsync(Visible);
            await ShotAsync(expert, "expert-invited");
            await expert.ClickAsync("[data-testid=\"join-invite\"]").WaitAsync(Timeout);
            await Assertions.Expect(expert.Locator("[data-testid=\"call\"]")).ToBeVisibleAsync(Visible);
            var specialistFlow = await MediaFlowsAsync(expert, "specialist (the first expert, invited back)");
            await ShotAsync(expert, "expert-specialist-call");
            await kiosk.SetViewportSizeAsync(1920, 1080).WaitAsync(Timeout);

            // The villager hangs up and rates on the screen; the record keeps the rating; the start screen returns.
            await kiosk.Locator("[data-testid=\"hang-up\"]").TapAsync().WaitAsync(Timeout);
            await Assertions.Expect(kiosk.Locator("[data-testid=\"rating\"]")).ToBeVisibleAsync(Visible);
            await ShotAsync(kiosk, "kiosk-landscape-rating");
            await Assertions.Expect(expert2.Locator("[data-testid=\"call\"]")).ToHaveCountAsync(0, new() { Timeout = 45_000 });
            await Assertions.Expect(expert.Locator("[data-testid=\"call\"]")).ToHaveCountAsync(0, new() { Timeout = 45_000 });
            await kiosk.Locator("[data-rating=\"满意\"]").TapAsync().WaitAsync(Timeout);
            await Assertions.Expect(kiosk.Locator("[data-testid=\"rated\"]")).ToContainTextAsync("满意");
            await ShotAsync(kiosk, "kiosk-landscape-rated");
            await Assertions.Expect(kiosk.Locator("[data-testid=\"categories\"]")).ToBeVisibleAsync(Visible);
            var record = await admin.GetJsonAsync($"/api/consultations/{consultation}");

            output.WriteLine($"offer card: {offerSite}; call view: {callSite} / {township}; kiosk label {labelSize}px");
            output.WriteLine($"record: {record}");
            Assert.Contains("陈寨社区", offerSite, StringComparison.Ordinal); // the sample district's kiosk of 陈寨社区
            Assert.Contains("东城街道", offerSite, StringComparison.Ordinal);
            Assert.Contains("陈寨社区", callSite, StringComparison.Ordinal);
            Assert.Equal("东城街道", township);
            Assert.True(labelSize >= 24, $"kiosk category label is {labelSize}px");
            Assert.Equal("Answered", record.GetProperty("outcome").GetString());
            Assert.Equal("满意", record.GetProperty("rating").GetString());
            Assert.Equal(second.Id, record.GetProperty("expertId").GetGuid());
            Assert.Contains("血压偏高", record.GetProperty("notes").GetString(), StringComparison.Ordinal);
            Assert.Contains(record.GetProperty("invitedExpertIds").EnumerateArray(), e => e.GetGuid() == first.Id);
            _ = (expertFlow, kioskAfter, secondFlow, specialistFlow);
            lock (errors)
            {
                Assert.True(errors.Count == 0, "Browser console errors:\n" + string.Join("\n", errors));
            }
        }
        finally
        {
            await kioskContext.CloseAsync().WaitAsync(Timeout);
            await expertContext.CloseAsync().WaitAsync(Timeout);
            await secondContext.CloseAsync().WaitAsync(Timeout);
        }
    }
}
