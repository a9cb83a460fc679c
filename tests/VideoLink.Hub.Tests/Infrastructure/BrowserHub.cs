using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Playwright;

namespace VideoLink.Hub.Tests.Infrastructure;

/// <summary>What the browser tests of the console's apps share: a hub on a real loopback port, API clients signed in
/// against it, and the call statistics a page exposes (<c>window.__videolinkStats()</c>).</summary>
internal static class BrowserHub
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(45);

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<HttpClient> LoginAsync(Uri hub, string username, string password)
    {
        var client = new HttpClient { BaseAddress = hub, Timeout = Timeout };
        var response = await client.PostAsJsonAsync("/api/auth/login", new { username, password }).WaitAsync(Timeout);
        response.EnsureSuccessStatusCode();
        var token = (await response.JsonAsync()).GetProperty("token").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>The page's call statistics (the first open call), or default when it has none.</summary>
    public static async Task<JsonElement> StatsAsync(IPage page)
    {
        var all = await page.EvaluateAsync<JsonElement>("async () => window.__videolinkStats ? await window.__videolinkStats() : []").WaitAsync(Timeout);
        return all.GetArrayLength() > 0 ? all[0] : default;
    }

    public static double Inbound(JsonElement stats, string kind, string counter) =>
        stats.ValueKind == JsonValueKind.Object ? stats.GetProperty("inbound").GetProperty(kind).GetProperty(counter).GetDouble() : 0;
}
