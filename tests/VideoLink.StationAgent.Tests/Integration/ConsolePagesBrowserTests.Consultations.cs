using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using VideoLink.Hub.Seeding;
using VideoLink.Hub.Tests.Infrastructure;

namespace VideoLink.StationAgent.Tests.Integration;

/// <summary>
/// The 服务面对面 page with real data: a villager waiting in the medical queue (its only expert is busy), an answered
/// and rated legal consultation, and a call-back request (nobody does agriculture today). Every tab is opened and
/// screenshotted, and closing the call-back in Chromium closes it in the API.
/// </summary>
public sealed partial class ConsolePagesBrowserTests
{
    private static readonly Guid LegalStation = StableIds.For("site", "es-09");

    [Fact]
    public async Task Admin_ConsultationsPage_ShowsQueueRecordsAndStats_AndClosesACallback()
    {
        Directory.CreateDirectory(Screenshots);
        await using var rig = new StationRig();
        await rig.StartHubAsync();
        var admin = rig.Admin;

        // Medical: the only working expert is busy, so the villager waits in the queue.
        await ExpertAsync(rig, SampleDistrict.StationOfTownship1, "medical", "Busy", "王医生");
        var waiting = await RequestAsync(admin, SampleDistrict.KioskOfVillage1Of1, "medical");
        Assert.Equal("Queued", waiting.GetProperty("status").GetString());

        // Legal: an expert answers, talks, ends; the villager rates it.
        var lawyer = await ExpertAsync(rig, LegalStation, "legal", "Available", "李律师");
        var answered = await RequestAsync(admin, SampleDistrict.KioskOfVillage1Of2, "legal");
        var answeredId = answered.GetProperty("id").GetGuid();
        await rig.WaitUntilAsync(async () => (await lawyer.GetFromJsonAsync<JsonElement>("/api/experts/me/offers")).GetArrayLength() > 0, "the lawyer's offer");
        (await lawyer.PostAsJsonAsync($"/api/consultations/{answeredId}/accept", new { })).EnsureSuccessStatusCode();
        (await lawyer.PostAsJsonAsync($"/api/consultations/{answeredId}/notes", new { text = "宅基地确权问题，已解答并告知所需材料" })).EnsureSuccessStatusCode();
        (await lawyer.PostAsJsonAsync($"/api/consultations/{answeredId}/end", new { })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/consultations/{answeredId}/rating", new { rating = "满意" })).EnsureSuccessStatusCode();

        // Agriculture: nobody on duty, so it becomes a call-back request (回访).
        var callback = await RequestAsync(admin, SampleDistrict.Township1Centre, "agriculture");
        Assert.Equal("Callback", callback.GetProperty("status").GetString());
        var callbackId = callback.GetProperty("id").GetGuid();

        var context = await chromium.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1366, Height = 768 }, Locale = "zh-CN" });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) =>
        {
            lock (errors)
            {
                errors.Add(error);
            }
        };
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (errors)
                {
                    errors.Add(message.Text);
                }
            }
        };

        try
        {
            page.SetDefaultTimeout(30_000);
            await page.GotoAsync(Url(rig, "/login"));
            await page.FillAsync("input[autocomplete=\"username\"]", "admin");
            await page.FillAsync("input[autocomplete=\"current-password\"]", HubFactory.AdminPassword);
            await page.ClickAsync("button[type=\"submit\"]");
            await page.WaitForURLAsync(url => !new Uri(url).AbsolutePath.StartsWith("/login", StringComparison.Ordinal));

            // 实时队列: the waiting villager with its site, the busy expert, the live channel connected.
            await page.GotoAsync(Url(rig, "/consultations"));
            var waitingRow = page.Locator("[data-category=\"medical\"] [data-row=\"waiting\"]");
            await Assertions.Expect(waitingRow).ToHaveCountAsync(1, new() { Timeout = 30_000 });
            await Assertions.Expect(waitingRow).ToContainTextAsync("陈寨");
            await Assertions.Expect(page.Locator("[data-category=\"medical\"] [data-expert]", new() { HasText = "王医生" })).ToBeVisibleAsync(Visible);
            await Assertions.Expect(page.Locator("[data-live-state]")).ToHaveTextAsync("实时更新中", new() { Timeout = 30_000 });
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await Shot(page, "30-consultations-queues");

            // A second villager queues while the page is open: the push brings the row without a reload.
            await RequestAsync(admin, SampleDistrict.KioskOfVillage1Of2, "medical");
            await Assertions.Expect(waitingRow).ToHaveCountAsync(2, new() { Timeout = 30_000 });

            // 回访: close the request with a note; the row leaves and the API reports it closed with that note.
            await page.ClickAsync(".el-tabs__item:has-text(\"回访\")");
            var callbackRows = page.Locator("[data-table=\"callbacks\"] .el-table__row");
            await Assertions.Expect(callbackRows).ToHaveCountAsync(1, new() { Timeout = 30_000 });
            await Shot(page, "31-consultations-callbacks");
            await callbackRows.First.Locator("[data-action=\"close-callback\"]").ClickAsync();
            await page.Locator("textarea[data-field=\"callback-note\"], [data-field=\"callback-note\"] textarea").First.FillAsync("已电话联系，农技站明天上门指导");
            await Shot(page, "32-consultations-callback-close");
            await page.ClickAsync("[data-action=\"confirm-close-callback\"]");
            await Assertions.Expect(page.Locator(".el-message--success")).ToBeVisibleAsync(Visible);
            await Assertions.Expect(page.Locator("[data-empty=\"callbacks\"]")).ToBeVisibleAsync(Visible);
            var closed = await admin.GetFromJsonAsync<JsonElement>($"/api/consultations/{callbackId}");
            Assert.Equal(JsonValueKind.String, closed.GetProperty("callbackClosedUtc").ValueKind);
            Assert.Equal("已电话联系，农技站明天上门指导", closed.GetProperty("callbackNote").GetString());

            // 记录: every record, and the answered one's detail with wait, talk, rating and the expert's note.
            await page.ClickAsync(".el-tabs__item:has-text(\"记录\")");
            var recordRows = page.Locator("[data-table=\"records\"] .el-table__row");
            await Assertions.Expect(recordRows).ToHaveCountAsync(4, new() { Timeout = 30_000 });
            await recordRows.Filter(new() { HasText = "法律" }).ClickAsync();
            await Assertions.Expect(page.Locator("[data-detail=\"notes\"]")).ToContainTextAsync("宅基地确权");
            await Assertions.Expect(page.Locator("[data-drawer=\"record\"], .el-drawer").First).ToContainTextAsync("李律师");
            await Shot(page, "33-consultations-record-detail");
            await page.Keyboard.PressAsync("Escape");

            // 统计: figures and charts for the last 7 days.
            await page.ClickAsync(".el-tabs__item:has-text(\"统计\")");
            await Assertions.Expect(page.Locator("[data-kpi=\"total\"] .value")).ToHaveTextAsync("4", new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("[data-chart=\"stats-category\"] canvas")).ToBeVisibleAsync(Visible);
            await Assertions.Expect(page.Locator("[data-chart=\"stats-satisfaction\"] canvas")).ToBeVisibleAsync(Visible);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await Shot(page, "34-consultations-stats");

            lock (errors)
            {
                Assert.True(errors.Count == 0, "Browser console errors:\n" + string.Join("\n", errors));
            }
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    private static async Task<HttpClient> ExpertAsync(StationRig rig, Guid station, string category, string presence, string name)
    {
        var username = "ex" + Guid.NewGuid().ToString("N")[..10];
        var created = await rig.Admin.PostAsJsonAsync("/api/experts", new { username, password = "Expert-pass1", displayName = name, siteId = station, categories = new[] { category } });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var client = new HttpClient { BaseAddress = rig.HubUrl };
        var login = await client.PostAsJsonAsync("/api/auth/login", new { username, password = "Expert-pass1" }).WaitAsync(TestTimeouts.Request);
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var set = await client.PutAsJsonAsync("/api/experts/me/presence", new { status = presence });
        Assert.True(set.StatusCode == HttpStatusCode.OK, await set.Content.ReadAsStringAsync());
        return client;
    }

    private static async Task<JsonElement> RequestAsync(HttpClient admin, Guid site, string category)
    {
        var response = await admin.PostAsJsonAsync("/api/consultations", new { siteId = site, category }).WaitAsync(TestTimeouts.Request);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
