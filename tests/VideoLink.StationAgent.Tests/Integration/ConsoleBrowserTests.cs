using Microsoft.Playwright;
using VideoLink.Hardware.Devices;
using VideoLink.Hardware.Simulators.Visca;
using VideoLink.Hub.Tests.Infrastructure;
using VideoLink.Media.Tests.Interop;

namespace VideoLink.StationAgent.Tests.Integration;

/// <summary>
/// The whole chain as a station attendant uses it, in real headless Chromium: log in to the console the hub serves,
/// open a village kiosk's page, press camera preset 3 — and the camera simulator on a real pty receives the VISCA
/// recall. Screenshots of the main pages are kept under test-output/screenshots for review.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class ConsoleBrowserTests(ChromiumFixture chromium)
{
    private static readonly string Screenshots = Environment.GetEnvironmentVariable("VIDEOLINK_SCREENSHOTS")
        ?? Path.Combine(AppContext.BaseDirectory, "screenshots");

    [Fact]
    public async Task Attendant_PressesAPresetInTheConsole_TheCameraRecallsIt()
    {
        Directory.CreateDirectory(Screenshots);
        await using var rig = new StationRig();
        await using var camera = new ViscaCameraSimulator();
        await camera.StartOnPtyAsync(CancellationToken.None);
        await rig.StartHubAsync();
        await rig.StartAgentAsync([new DeviceConfig { Id = "cam1", Kind = "Camera", Driver = "visca-serial", Port = camera.DevicePath, Baud = 9600, Address = 1 }]);
        await rig.WaitForSiteOnlineAsync();

        var context = await chromium.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1366, Height = 768 }, Locale = "zh-CN" });
        var page = await context.NewPageAsync();
        try
        {
            page.SetDefaultTimeout(30_000);
            await page.GotoAsync(new Uri(rig.HubUrl, "/login").ToString());
            await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "01-login.png") });
            await page.FillAsync("input[autocomplete=\"username\"]", "admin");
            await page.FillAsync("input[autocomplete=\"current-password\"]", HubFactory.AdminPassword);
            await page.ClickAsync("button[type=\"submit\"]");
            await page.WaitForURLAsync(url => !new Uri(url).AbsolutePath.StartsWith("/login", StringComparison.Ordinal));
            // The sample district has 160 sites; the dashboard is ready when the count shows.
            await Assertions.Expect(page.GetByText("160", new() { Exact = true }).First).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "02-dashboard.png") });

            await page.GotoAsync(new Uri(rig.HubUrl, $"/sites/{rig.SiteId}").ToString());
            var preset = page.Locator("[data-preset=\"3\"]");
            await Assertions.Expect(preset).ToBeEnabledAsync(new() { Timeout = 30_000 });
            camera.ClearReceived();
            await preset.ClickAsync();

            await rig.WaitUntilAsync(() => Task.FromResult(camera.LastRecalledPreset == 3), "the camera to recall preset 3");
            Assert.Contains(camera.ReceivedFrames, f => f.AsSpan().SequenceEqual(new byte[] { 0x81, 0x01, 0x04, 0x3F, 0x02, 0x03, 0xFF }));
            await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "03-site-camera.png") });

            await page.GotoAsync(new Uri(rig.HubUrl, "/org").ToString());
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "04-org-tree.png") });
            await page.GotoAsync(new Uri(rig.HubUrl, "/kiosk").ToString());
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "05-kiosk.png") });
        }
        finally
        {
            await context.CloseAsync();
        }
    }
}
