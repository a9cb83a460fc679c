using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using VideoLink.Hub.Security;
using VideoLink.Hub.Storage;

namespace VideoLink.Hub.Tests.Infrastructure;

/// <summary>
/// The real hub in-process (WebApplicationFactory) with its own temporary data folder, the sample district seeded
/// and a known admin password. Provider defaults to SQLite; PostgreSQL tests pass a connection string.
/// </summary>
public class HubFactory : WebApplicationFactory<Program>
{
    public const string AdminPassword = "Admin-Test-Passw0rd";

    private readonly Dictionary<string, string?> _settings;

    public HubFactory()
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "videolink-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(DataDirectory);
        _settings = [];
        Environment.SetEnvironmentVariable(AuthOptions.AdminPasswordVariable, AdminPassword);
    }

    /// <summary>A hub with extra settings (xunit fixtures need the single parameterless constructor above).</summary>
    public static HubFactory With(Dictionary<string, string?> settings)
    {
        var factory = new HubFactory();
        foreach (var (k, v) in settings)
        {
            factory._settings[k] = v;
        }

        return factory;
    }

    public string DataDirectory { get; }

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("VideoLink:DataDirectory", DataDirectory);
        builder.UseSetting("Sip:Port", "0");
        builder.UseSetting("Media:Port", "0");
        builder.UseSetting("Media:BindAddress", "127.0.0.1");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public async Task<HttpClient> LoginAsync(string username = "admin", string password = AdminPassword)
    {
        var client = CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/login", new { username, password }).WaitAsync(TestTimeouts.Request);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Json).WaitAsync(TestTimeouts.Request);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("token").GetString());
        return client;
    }

    /// <summary>Runs work against the database as the system (no org-tree filter), for arranging and checking tests.</summary>
    public async Task<T> WithDatabaseAsync<T>(Func<VideoLinkDbContext, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<OrgScopeAccessor>().Current = OrgScope.System;
        return await work(scope.ServiceProvider.GetRequiredService<VideoLinkDbContext>());
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            try
            {
                System.IO.Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A log file may still be closing; the temp folder is cleaned by the OS later.
            }
        }
    }
}

public static class TestTimeouts
{
    public static readonly TimeSpan Request = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);
}

public static class HttpJson
{
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync().WaitAsync(TestTimeouts.Request);
        return string.IsNullOrEmpty(text) ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url).WaitAsync(TestTimeouts.Request);
        Assert.True(response.IsSuccessStatusCode, $"GET {url} → {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.JsonAsync();
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body, HubFactory.Json).WaitAsync(TestTimeouts.Request);

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string url, object body) =>
        client.PutAsJsonAsync(url, body, HubFactory.Json).WaitAsync(TestTimeouts.Request);
}
