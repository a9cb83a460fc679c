using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using VideoLink.Hub.Tests.Infrastructure;
using VideoLink.StationAgent.Configuration;
using VideoLink.StationAgent.Journal;

namespace VideoLink.StationAgent.Tests.Integration;

/// <summary>
/// A real hub on a real loopback port (Kestrel, so the agent connects over a real WebSocket) and a real agent host
/// in-process. The hub can be stopped and started again on the same port and data folder to stage an outage.
/// </summary>
public sealed class StationRig : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(45);

    private HubFactory? _hub;
    private IHost? _agent;

    public StationRig()
    {
        HubData = Path.Combine(Path.GetTempPath(), "rig-hub-" + Guid.NewGuid().ToString("N"));
        AgentData = Path.Combine(Path.GetTempPath(), "rig-agent-" + Guid.NewGuid().ToString("N"));
        Port = FreePort();
    }

    public string HubData { get; }

    public string AgentData { get; }

    public int Port { get; }

    public Uri HubUrl => new($"http://127.0.0.1:{Port}");

    public Guid SiteId { get; } = SampleDistrict.KioskOfVillage1Of1;

    public HttpClient Admin { get; private set; } = null!;

    /// <summary>The in-process hub (for its services, e.g. the SIP server's port).</summary>
    public HubFactory Hub => _hub ?? throw new InvalidOperationException("The hub is not running.");

    public async Task StartHubAsync(Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>(settings ?? []) { ["VideoLink:DataDirectory"] = HubData };
        _hub = HubFactory.With(all);
        _hub.UseKestrel(Port);
        _hub.StartServer();
        await LoginAsync();
    }

    /// <summary>Logs the admin in against whatever hub listens on <see cref="Port"/> (in-process or a separate process).</summary>
    public async Task LoginAsync()
    {
        Admin?.Dispose();
        Admin = new HttpClient { BaseAddress = HubUrl };
        var login = await Admin.PostAsJsonAsync("/api/auth/login", new { username = "admin", password = HubFactory.AdminPassword }).WaitAsync(TestTimeouts.Request);
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        Admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
    }

    public Task<T> WithHubDatabaseAsync<T>(Func<Hub.Storage.VideoLinkDbContext, Task<T>> work) => _hub!.WithDatabaseAsync(work);

    public async Task StopHubAsync()
    {
        if (_hub is not null)
        {
            await _hub.DisposeAsync();
            _hub = null;
        }
    }

    public async Task<string> EnrollmentTokenAsync()
    {
        var response = await Admin.PostAsync($"/api/sites/{SiteId}/agent-enrollments", null).WaitAsync(TestTimeouts.Request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    public async Task StartAgentAsync(List<Hardware.Devices.DeviceConfig> devices)
    {
        var config = new AgentConfig
        {
            HubUrl = HubUrl.ToString(),
            SiteId = SiteId,
            EnrollmentToken = await EnrollmentTokenAsync(),
            DataDirectory = AgentData,
            ReconnectMaxSeconds = 1,
            Devices = devices,
        };
        AgentConfigLoader.Validate(config, AgentData);
        _agent = AgentProgram.Build(config, []);
        await _agent.StartAsync().WaitAsync(TestTimeouts.Request);
    }

    public async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"Timed out waiting for {what}.");
    }

    public Task WaitForSiteOnlineAsync() => WaitUntilAsync(async () =>
    {
        var site = await Admin.GetFromJsonAsync<JsonElement>($"/api/sites/{SiteId}").WaitAsync(TestTimeouts.Request);
        return site.GetProperty("online").GetBoolean();
    }, "the site to come online");

    public async Task<int> PendingInOutboxAsync()
    {
        using var outbox = new Outbox(AgentData);
        return await outbox.CountPendingAsync(CancellationToken.None);
    }

    public async Task<Guid> DeviceIdAsync(string code)
    {
        var devices = await Admin.GetFromJsonAsync<JsonElement>($"/api/devices?siteId={SiteId}").WaitAsync(TestTimeouts.Request);
        return devices.EnumerateArray().First(d => d.GetProperty("code").GetString() == code).GetProperty("id").GetGuid();
    }

    public async ValueTask DisposeAsync()
    {
        if (_agent is not null)
        {
            await _agent.StopAsync(TestTimeouts.Request);
            _agent.Dispose();
        }

        await StopHubAsync();
        Admin?.Dispose();
        foreach (var folder in new[] { HubData, AgentData })
        {
            try
            {
                Directory.Delete(folder, true);
            }
            catch (IOException)
            {
                // best effort
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
