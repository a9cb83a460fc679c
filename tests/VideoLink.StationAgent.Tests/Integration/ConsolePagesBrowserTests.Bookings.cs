using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using VideoLink.Hub.Tests.Infrastructure;

namespace VideoLink.StationAgent.Tests.Integration;

/// <summary>
/// Editing a weekly booking from the bookings page: one occurrence is moved a day later, then the whole series is
/// renamed; the hub's booking shows both.
/// </summary>
public sealed partial class ConsolePagesBrowserTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    [Fact]
    public async Task Admin_EditsABooking_OneOccurrenceThenTheSeries()
    {
        Directory.CreateDirectory(Screenshots);
        await using var rig = new StationRig();
        await rig.StartHubAsync();
        var admin = rig.Admin;

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, Shanghai));
        var first = today.AddDays(1);
        var created = await admin.PostAsJsonAsync("/api/bookings", new
        {
            title = "组织工作例会（改期测试）",
            organizerOrgUnitId = SampleDistrict.District,
            start = $"{first:yyyy-MM-dd}T09:00:00+08:00",
            end = $"{first:yyyy-MM-dd}T10:30:00+08:00",
            timeZone = "Asia/Shanghai",
            recurrence = "FREQ=WEEKLY;COUNT=3",
            siteIds = new[] { SampleDistrict.DistrictCentre, SampleDistrict.Township1Centre },
            mainVenueSiteId = SampleDistrict.DistrictCentre,
            launchMode = "Manual",
            prepareMinutes = 10,
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var context = await chromium.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1366, Height = 768 }, Locale = "zh-CN" });
        var page = await context.NewPageAsync();
        try
        {
            page.SetDefaultTimeout(30_000);
            await page.GotoAsync(Url(rig, "/login"));
            await page.FillAsync("input[autocomplete=\"username\"]", "admin");
            await page.FillAsync("input[autocomplete=\"current-password\"]", HubFactory.AdminPassword);
            await page.ClickAsync("button[type=\"submit\"]");
            await page.WaitForURLAsync(url => !new Uri(url).AbsolutePath.StartsWith("/login", StringComparison.Ordinal));

            await page.GotoAsync(Url(rig, "/bookings"));
            await Assertions.Expect(page.Locator("[data-page=\"bookings\"] .el-table")).ToBeVisibleAsync(Visible);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            var row = page.Locator("[data-page=\"bookings\"] .el-table__row", new() { HasText = "改期测试" });
            if (await row.CountAsync() == 0)
            {
                // Tomorrow is in next week's list.
                await page.ClickAsync("button[aria-label=\"下一周\"]");
            }

            // Move the first meeting one day later.
            await row.First.ClickAsync();
            await page.Locator("[data-action=\"edit-occurrence\"]").First.ClickAsync();
            await Assertions.Expect(page.Locator("[data-section=\"edit-scope\"]")).ToBeVisibleAsync(Visible);
            await Shot(page, "22a-booking-edit-dialog");
            var moved = first.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var date = page.Locator("[data-form=\"booking\"] .el-date-editor--date input, input[data-field=\"booking-date\"]").First;
            await date.FillAsync(moved);
            await date.PressAsync("Enter");
            await Shot(page, "22-booking-edit-occurrence");
            await page.ClickAsync("[data-action=\"save-booking\"]");
            await Assertions.Expect(page.Locator(".el-message--success")).ToBeVisibleAsync(Visible);

            var booking = await admin.GetFromJsonAsync<JsonElement>($"/api/bookings/{id}");
            var occurrence = booking.GetProperty("occurrences").EnumerateArray().First(o => o.GetProperty("moved").GetBoolean());
            Assert.Equal(moved, TimeZoneInfo.ConvertTimeFromUtc(occurrence.GetProperty("start").GetDateTime().ToUniversalTime(), Shanghai).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

            // Rename the whole series.
            await page.ClickAsync("[data-action=\"edit-series\"]");
            var title = page.Locator("input[data-field=\"booking-title\"], [data-field=\"booking-title\"] input").First;
            await Assertions.Expect(title).ToBeEnabledAsync();
            await title.FillAsync("组织工作例会（已调整）");
            await Shot(page, "23-booking-edit-series");
            await page.ClickAsync("[data-action=\"save-booking\"]");
            await rig.WaitUntilAsync(
                async () => (await admin.GetFromJsonAsync<JsonElement>($"/api/bookings/{id}")).GetProperty("title").GetString() == "组织工作例会（已调整）",
                "the series renamed");
        }
        finally
        {
            await context.CloseAsync();
        }
    }
}
