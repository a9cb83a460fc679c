using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace VideoLink.Media.Tests.Interop;

/// <summary>
/// Headless Chromium 156 (the Debian package at /usr/bin/chromium, never a Playwright download) plus a tiny Kestrel
/// on 127.0.0.1:0 serving the test page: getUserMedia needs a secure context, and http://127.0.0.1 is one.
/// Missing Chromium fails the tests rather than skipping them.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private WebApplication? _pages;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public Uri PageUri { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(ChromiumPath), "Chromium is required for the interop tests: apt-get install chromium");
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");

        var html = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "peer.html")).ConfigureAwait(false);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _pages = builder.Build();
        _pages.MapGet("/", () => Results.Content(html, "text/html"));
        await _pages.StartAsync().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        var address = _pages.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        PageUri = new Uri(address + "/");

        _playwright = await Playwright.CreateAsync().WaitAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--use-fake-device-for-media-stream",
                "--use-fake-ui-for-media-stream",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                // Remote audio must play without a user gesture, or its energy statistics stay at zero.
                "--autoplay-policy=no-user-gesture-required",
                // Our test endpoint advertises 127.0.0.1; WebRTC ignores loopback interfaces unless told otherwise.
                "--allow-loopback-in-peer-connection",
            ],
        }).WaitAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
    }

    public async Task<IPage> NewPageAsync()
    {
        var page = await Browser.NewPageAsync().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        await page.GotoAsync(PageUri.ToString()).WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        return page;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }

        _playwright?.Dispose();
        if (_pages is not null)
        {
            await _pages.StopAsync().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            await _pages.DisposeAsync().ConfigureAwait(false);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ChromiumCollection : ICollectionFixture<ChromiumFixture>
{
    public const string Name = "Chromium";
}
