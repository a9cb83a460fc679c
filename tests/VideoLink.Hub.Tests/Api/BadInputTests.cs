using System.Net;
using System.Text;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using VideoLink.Hub.Tests.Infrastructure;

namespace VideoLink.Hub.Tests.Api;

/// <summary>Bad input gets a 4xx problem, never a 500 and never a half-done write.</summary>
public sealed class BadInputTests(HubFactory hub) : IClassFixture<HubFactory>
{
    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    [Theory]
    [InlineData("{bad json")]
    [InlineData("[1,2,3]")]
    [InlineData("\"just a string\"")]
    [InlineData("{\"orgUnitId\": 12}")]
    [InlineData("{\"kind\": \"Spaceport\", \"code\": \"x\", \"name\": \"x\"}")]
    [InlineData("{\"orgUnitId\": \"not-a-guid\"}")]
    public async Task CreateSite_WithMalformedBody_Is400Problem(string body)
    {
        var admin = await hub.LoginAsync();

        var response = await admin.PostAsync("/api/sites", Json(body)).WaitAsync(TestTimeouts.Request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task CreateSite_WithMissingFields_NamesEachField()
    {
        var admin = await hub.LoginAsync();

        var response = await admin.PostAsync("/api/sites", Json("{}")).WaitAsync(TestTimeouts.Request);
        var problem = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var fields = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("code", fields);
        Assert.Contains("name", fields);
        Assert.Contains("kind", fields);
        Assert.Contains("orgUnitId", fields);
    }

    [Fact]
    public async Task ListSites_WithUnknownKind_Is400Problem()
    {
        var admin = await hub.LoginAsync();

        var response = await admin.GetAsync("/api/sites?kind=Spaceport").WaitAsync(TestTimeouts.Request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/sites/00000000-0000-0000-0000-000000000001")]
    [InlineData("/api/org-units/00000000-0000-0000-0000-000000000001")]
    [InlineData("/api/users/00000000-0000-0000-0000-000000000001")]
    [InlineData("/api/sites/not-a-guid")]
    public async Task Get_UnknownId_Is404(string url)
    {
        var admin = await hub.LoginAsync();

        var response = await admin.GetAsync(url).WaitAsync(TestTimeouts.Request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task DuplicateSipUser_Is409()
    {
        var admin = await hub.LoginAsync();
        var body = new { siteId = SampleDistrict.KioskOfVillage1Of1, kind = "Sip", sipUser = "dup" + Guid.NewGuid().ToString("N")[..6], password = "Passw0rd-1", displayName = "话机" };

        var first = await admin.PostJsonAsync("/api/endpoints", body);
        var second = await admin.PostJsonAsync("/api/endpoints", body);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
    }

    [Fact]
    public async Task DeletingAnOrgUnitThatHasChildren_Is409_AndNothingIsRemoved()
    {
        var admin = await hub.LoginAsync();

        var response = await admin.DeleteAsync($"/api/org-units/{SampleDistrict.Township2}").WaitAsync(TestTimeouts.Request);
        var still = await admin.GetAsync($"/api/org-units/{SampleDistrict.Township2}").WaitAsync(TestTimeouts.Request);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, still.StatusCode);
    }

    /// <summary>Throws garbage at every write endpoint the hub has; each answer must be a 4xx.</summary>
    [Fact]
    public async Task EveryWriteEndpoint_WithGarbage_Answers4xx()
    {
        var admin = await hub.LoginAsync();
        var routes = hub.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Method: m, Pattern: e.RoutePattern.RawText!)))
            .Where(r => r.Method is "POST" or "PUT")
            .ToList();
        string[] garbage = ["", "null", "{", "{\"a\":", "[]", "{\"name\":null,\"kind\":7}", "{\"role\":\"Emperor\"}", "\u0000\u0001\u0002", new string('[', 200) + new string(']', 200), "{\"options\":\"x\",\"address\":99999}"];
        var failures = new List<string>();
        foreach (var (method, pattern) in routes)
        {
            var url = pattern.Replace("{id:guid}", SampleDistrict.KioskOfVillage1Of1.ToString(), StringComparison.Ordinal).Replace("{**rest}", "x", StringComparison.Ordinal);
            foreach (var body in garbage)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = Json(body) };
                var response = await admin.SendAsync(request).WaitAsync(TestTimeouts.Request);
                if ((int)response.StatusCode is < 400 or >= 500)
                {
                    failures.Add($"{method} {url} «{body[..Math.Min(body.Length, 20)]}» → {(int)response.StatusCode}");
                }
            }
        }

        Assert.True(routes.Count >= 12, $"only {routes.Count} write routes found");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
