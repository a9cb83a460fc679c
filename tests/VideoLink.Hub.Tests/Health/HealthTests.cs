using System.Net;
using VideoLink.Hub.Tests.Infrastructure;

namespace VideoLink.Hub.Tests.Health;

public sealed class HealthTests(HubFactory hub) : IClassFixture<HubFactory>
{
    [Fact]
    public async Task Ready_AfterStart_IsHealthy()
    {
        var client = hub.CreateClient();
        var ready = await client.GetAsync("/health/ready").WaitAsync(TestTimeouts.Request);
        var live = await client.GetAsync("/health/live").WaitAsync(TestTimeouts.Request);

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task OpenApiDocument_IsServed_AndListsTheDirectory()
    {
        var doc = await hub.CreateClient().GetJsonAsync("/openapi/v1.json");

        var paths = doc.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/sites", paths);
        Assert.Contains("/api/auth/login", paths);
        Assert.Contains("/api/org-units/tree", paths);
    }

    [Fact]
    public async Task UnknownApiPath_IsProblem404_NotTheConsolePage()
    {
        var response = await hub.CreateClient().GetAsync("/api/no-such-thing").WaitAsync(TestTimeouts.Request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
