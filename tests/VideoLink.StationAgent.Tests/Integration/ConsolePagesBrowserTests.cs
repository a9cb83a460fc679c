using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using VideoLink.Hub.Tests.Infrastructure;
using VideoLink.Media.Tests.Interop;

namespace VideoLink.StationAgent.Tests.Integration;

/// <summary>
/// The staff console's meeting and administration pages in real headless Chromium at 1366×768, signed in as the
/// district administrator: each page shows its key elements (or, where its backend module is not installed on this
/// hub, its explained empty state), nothing is written to the browser console as an error, and a screenshot of every
/// page is kept for review. A room is created, controlled from its page and ended through the UI.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed partial class ConsolePagesBrowserTests(ChromiumFixture chromium)
{
    private static readonly string Screenshots = Environment.GetEnvironmentVariable("VIDEOLINK_SCREENSHOTS")
        ?? Path.Combine(AppContext.BaseDirectory, "screenshots");

    private static readonly LocatorAssertionsToBeVisibleOptions Visible = new() { Timeout = 30_000 };

    [Fact]
    public async Task Admin_VisitsEveryNewPage_EachShowsItsContentOrExplainedEmptyState_WithoutConsoleErrors()
    {
        Directory.CreateDirectory(Screenshots);
        await using var rig = new StationRig();
        await rig.StartHubAsync();

        var context = await chromium.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1366, Height = 768 }, Locale = "zh-CN" });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            // A module that is not installed answers 404 by design (the page then explains it); anything else counts.
            if (message.Type == "error" && !MissingModule().IsMatch(message.Text))
            {
                lock (errors)
                {
                    errors.Add(message.Text);
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (errors)
            {
                errors.Add(error);
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

            // Dashboard: the live-rooms card and both consultation charts (data, or the explained empty state).
            await Assertions.Expect(page.Locator("[data-card=\"rooms\"]")).ToBeVisibleAsync(Visible);
            await Assertions.Expect(page.GetByText("160", new() { Exact = true }).First).ToBeVisibleAsync(Visible);
            await Assertions.Expect(page.Locator("[data-chart=\"by-category\"] .el-empty, [data-chart=\"by-category\"] canvas").First).ToBeVisibleAsync(Visible);
            await Assertions.Expect(page.Locator("[data-chart=\"by-day\"] .el-empty, [data-chart=\"by-day\"] canvas").First).ToBeVisibleAsync(Visible);
            await Shot(page, "10-dashboard");

            // Live meetings: create a room, control it, end it.
            await page.GotoAsync(Url(rig, "/rooms"));
            await Assertions.Expect(page.Locator("[data-page=\"rooms\"] .el-table")).ToBeVisibleAsync(Visible);
            await Shot(page, "11-rooms");
            await page.ClickAsync("[data-action=\"create-room\"]");
            await page.Locator("input[data-field=\"room-name\"], [data-field=\"room-name\"] input").First.FillAsync("组织工作例会（测试）");
            await page.ClickAsync("[data-action=\"confirm-create-room\"]");
            await page.WaitForURLAsync(RoomPage());
            await Assertions.Expect(page.Locator("[data-section=\"participants\"]")).ToBeVisibleAsync(Visible);
            await Assertions.Expect(page.Locator("[data-section=\"room-controls\"]")).ToBeVisibleAsync(Visible);
            await Assertions.Expect(page.Locator("[data-section=\"polling\"]")).ToBeVisibleAsync(Visible);
            await Assertions.Expect(page.Locator("[data-action=\"dial\"]")).ToBeVisibleAsync(Visible);
            await Assertions.Expect(page.GetByText("组织工作例会（测试）").First).ToBeVisibleAsync(Visible);
            await Shot(page, "12-room-control");

            // Lock the room and give it a PIN from the page; the API reports both.
            var roomId = new Uri(page.Url).Segments[^1];
            await page.ClickAsync("[data-action=\"lock-room\"]");
            await Assertions.Expect(page.Locator("[data-state=\"locked\"]")).ToBeVisibleAsync(Visible);
            await Assertions.Expect(page.Locator("[data-action=\"dial\"]")).ToBeDisabledAsync();
            await page.Locator("input[data-field=\"room-pin\"], [data-field=\"room-pin\"] input").First.FillAsync("2468");
            await page.ClickAsync("[data-action=\"set-pin\"]");
            await Assertions.Expect(page.Locator("[data-state=\"pin\"]")).ToHaveTextAsync("已设置入会密码，加入时需输入", new() { Timeout = 30_000 });
            var live = (await rig.Admin.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/rooms/{roomId}")).GetProperty("live");
            Assert.True(live.GetProperty("locked").GetBoolean());
            Assert.True(live.GetProperty("hasPin").GetBoolean());
            await Shot(page, "12b-room-locked");
            await page.ClickAsync("[data-action=\"lock-room\"]");
            await Assertions.Expect(page.Locator("[data-state=\"locked\"]")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
            await page.ClickAsync("[data-action=\"end-room\"]");
            await page.ClickAsync(".el-message-box .el-button--primary");
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/rooms");
            await Assertions.Expect(page.GetByText("组织工作例会（测试）")).ToHaveCountAsync(0, new() { Timeout = 30_000 });

            // Bookings, notices, attendance: their content, or the empty state that explains the module is not installed.
            await Visit(page, rig, "/bookings", "13-bookings", "[data-empty=\"bookings-unavailable\"], [data-page=\"bookings\"] .el-table");
            await Visit(page, rig, "/notices", "14-notices", "[data-empty=\"notices-unavailable\"], [data-page=\"notices\"] .el-tabs");
            await Visit(page, rig, "/attendance", "15-attendance", "[data-empty=\"attendance-unavailable\"], [data-page=\"attendance\"] .el-table");

            // Directory administration over the sample district.
            await Visit(page, rig, "/admin/org-units", "16-admin-org-units", "[data-page=\"admin-org-units\"] .el-tree-node");
            await Visit(page, rig, "/admin/sites", "17-admin-sites", "[data-page=\"admin-sites\"] .el-table__row");
            await Visit(page, rig, "/admin/endpoints", "18-admin-endpoints", "[data-page=\"admin-endpoints\"] .el-table__row, [data-page=\"admin-endpoints\"] .el-empty");
            await Visit(page, rig, "/admin/users", "19-admin-users", "[data-page=\"users\"] .el-table__row");
            await Visit(page, rig, "/admin/people", "20-admin-people", "[data-page=\"people\"] .el-table");

            // Site credentials: the agent enrolment token is shown once in its dialog.
            await page.GotoAsync(Url(rig, "/admin/sites"));
            await page.Locator("[data-page=\"admin-sites\"] .el-table__row").First.WaitForAsync();
            await page.Locator("[data-page=\"admin-sites\"] .el-table__row").First.Locator("button", new() { HasText = "凭证" }).ClickAsync();
            await page.ClickAsync("[data-testid=\"enroll\"]");
            await Assertions.Expect(page.Locator("[data-testid=\"enroll-token\"]")).ToBeVisibleAsync(Visible);
            await Shot(page, "21-admin-site-credentials");

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

    private static string Url(StationRig rig, string path) => new Uri(rig.HubUrl, path).ToString();

    private static async Task Visit(IPage page, StationRig rig, string path, string shot, string keySelector)
    {
        await page.GotoAsync(Url(rig, path));
        await Assertions.Expect(page.Locator(keySelector).First).ToBeVisibleAsync(Visible);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Shot(page, shot);
    }

    private static Task Shot(IPage page, string name) => page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, name + ".png") });

    [GeneratedRegex(@"status of 40[45]\b", RegexOptions.IgnoreCase)]
    private static partial Regex MissingModule();

    [GeneratedRegex(@"/rooms/[0-9a-f-]{36}$")]
    private static partial Regex RoomPage();
}
