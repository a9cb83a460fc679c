using System.Net;
using System.Net.Http.Headers;
using Microsoft.Playwright;
using VideoLink.Hub.Tests.Infrastructure;
using VideoLink.Media.Tests.Interop;
using static VideoLink.Hub.Tests.Infrastructure.BrowserHub;

namespace VideoLink.Hub.Tests.Consultations;

/// <summary>
/// The staff consultation desk (/consultations, 服务面对面) in headless Chromium: its boards listen on the console's one
/// live channel — the page holds one connection to the hub at a time however many boards it shows — and a request nobody
/// can take appears in the call-back list through the push alone (that list does not poll).
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class ConsultationDeskBrowserTests(ChromiumFixture chromium)
{
    private static readonly TimeSpan Timeout = BrowserHub.Timeout;

    private static readonly LocatorAssertionsToBeVisibleOptions Visible = new() { Timeout = 45_000 };

    [Fact]
    public async Task Staff_SeeTheQueuesLive_AndANewCallbackRequestAppearsByPush_OverOneConnection()
    {
        var port = FreePort();
        await using var factory = new HubFactory();
        factory.UseKestrel(port);
        factory.StartServer();
        var hub = new Uri($"http://127.0.0.1:{port}");
        using var admin = await LoginAsync(hub, "admin", HubFactory.AdminPassword);
        var issued = await admin.PostJsonAsync($"/api/sites/{SampleDistrict.KioskOfVillage1Of1}/kiosk-token", new { });
        Assert.True(issued.StatusCode == HttpStatusCode.Created, await issued.Content.ReadAsStringAsync());
        using var kiosk = new HttpClient { BaseAddress = hub };
        kiosk.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await issued.JsonAsync()).GetProperty("token").GetString());

        var context = await chromium.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 }, Locale = "zh-CN" }).WaitAsync(Timeout);
        try
        {
            var page = await context.NewPageAsync().WaitAsync(Timeout);
            page.SetDefaultTimeout(45_000);
            // Connections to the hub open at the same time (a reconnect closes the old one first, so it never counts twice).
            var open = 0;
            var mostOpen = 0;
            page.WebSocket += (_, socket) =>
            {
                if (!socket.Url.Contains("/hubs/console", StringComparison.Ordinal))
                {
                    return;
                }

                var now = Interlocked.Increment(ref open);
                InterlockedMax(ref mostOpen, now);
                socket.Close += (_, _) => Interlocked.Decrement(ref open);
            };
            await page.GotoAsync(new Uri(hub, "/login?redirect=%2Fconsultations").ToString()).WaitAsync(Timeout);
            await page.FillAsync("input[autocomplete=\"username\"]", "admin").WaitAsync(Timeout);
            await page.FillAsync("input[autocomplete=\"current-password\"]", HubFactory.AdminPassword).WaitAsync(Timeout);
            await page.ClickAsync("button[type=\"submit\"]").WaitAsync(Timeout);
            await Assertions.Expect(page.Locator("[data-live-state]")).ToHaveTextAsync("实时更新中", new() { Timeout = 45_000 });

            // The call-back list mounts beside the live queues; nobody serves "legal" now, so the request is a call-back at once.
            await page.ClickAsync("#tab-callbacks").WaitAsync(Timeout);
            await Assertions.Expect(page.Locator("[data-empty=\"callbacks\"]")).ToBeVisibleAsync(Visible); // its own first load is over
            var request = await kiosk.PostJsonAsync("/api/consultations", new { siteId = SampleDistrict.KioskOfVillage1Of1, category = "legal" });
            Assert.True(request.StatusCode == HttpStatusCode.Created, await request.Content.ReadAsStringAsync());
            Assert.Equal("Callback", (await request.JsonAsync()).GetProperty("status").GetString());
            await Assertions.Expect(page.Locator("[data-table=\"callbacks\"] .el-table__row")).ToHaveCountAsync(1, new() { Timeout = 15_000 });

            Assert.Equal(1, Volatile.Read(ref mostOpen));
        }
        finally
        {
            await context.CloseAsync().WaitAsync(Timeout);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }
}
