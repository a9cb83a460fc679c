using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using VideoLink.Hub.Tests.Infrastructure;

namespace VideoLink.Hub.Tests.Security;

public sealed class AuthTests(HubFactory hub) : IClassFixture<HubFactory>
{
    private async Task<string> CreateUserAsync(string role = "Member", string? orgUnit = null)
    {
        var admin = await hub.LoginAsync();
        var username = "u" + Guid.NewGuid().ToString("N")[..10];
        var response = await admin.PostJsonAsync("/api/users", new { username, password = "Passw0rd-1", displayName = "测试用户", role, orgUnitId = orgUnit ?? SampleDistrict.Village1Of1.ToString() });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return username;
    }

    [Fact]
    public async Task Login_WithRightPassword_ReturnsTokenThatOpensTheApi()
    {
        var client = await hub.LoginAsync();

        var me = await client.GetJsonAsync("/api/users/me");

        Assert.Equal("admin", me.GetProperty("username").GetString());
        Assert.Equal("DistrictAdmin", me.GetProperty("role").GetString());
    }

    [Fact]
    public async Task Login_WithWrongPassword_Is401Problem()
    {
        var response = await hub.CreateClient().PostJsonAsync("/api/auth/login", new { username = "admin", password = "wrong-password" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Login_AfterRepeatedFailures_IsLockedOut_EvenWithTheRightPassword()
    {
        var username = await CreateUserAsync();
        var client = hub.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            var bad = await client.PostJsonAsync("/api/auth/login", new { username, password = "not-it-" + i });
            Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        }

        var locked = await client.PostJsonAsync("/api/auth/login", new { username, password = "Passw0rd-1" });

        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
    }

    [Fact]
    public async Task LockedUser_UnlockedByAdmin_CanLogInAgain()
    {
        var username = await CreateUserAsync();
        var client = hub.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            await client.PostJsonAsync("/api/auth/login", new { username, password = "not-it-" + i });
        }

        var admin = await hub.LoginAsync();
        var users = await admin.GetJsonAsync("/api/users");
        var id = users.EnumerateArray().First(u => u.GetProperty("username").GetString() == username).GetProperty("id").GetString();
        var unlock = await admin.PutJsonAsync($"/api/users/{id}", new { unlock = true });
        var login = await client.PostJsonAsync("/api/auth/login", new { username, password = "Passw0rd-1" });

        Assert.Equal(HttpStatusCode.OK, unlock.StatusCode);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-jwt")]
    [InlineData("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.")]
    public async Task Api_WithForgedOrMissingToken_Is401(string token)
    {
        var client = hub.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var response = await client.GetAsync("/api/sites").WaitAsync(TestTimeouts.Request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Token_WithTamperedPayload_Is401()
    {
        var admin = await hub.LoginAsync();
        var token = admin.DefaultRequestHeaders.Authorization!.Parameter!;
        var parts = token.Split('.');
        var tampered = parts[0] + "." + parts[1][..^2] + (parts[1][^2] == 'A' ? "B" : "A") + parts[1][^1] + "." + parts[2];
        var client = hub.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tampered);

        var response = await client.GetAsync("/api/users/me").WaitAsync(TestTimeouts.Request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task DeletedUser_TokenStopsWorkingAtOnce()
    {
        var username = await CreateUserAsync();
        var user = await hub.LoginAsync(username, "Passw0rd-1");
        var me = await user.GetJsonAsync("/api/users/me");
        var admin = await hub.LoginAsync();

        var deleted = await admin.DeleteAsync($"/api/users/{me.GetProperty("id").GetString()}").WaitAsync(TestTimeouts.Request);
        var after = await user.GetAsync("/api/users/me").WaitAsync(TestTimeouts.Request);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task BranchAdmin_CannotMintADistrictAdmin()
    {
        var branchAdmin = await CreateUserAsync("BranchAdmin", SampleDistrict.Township1.ToString());
        var client = await hub.LoginAsync(branchAdmin, "Passw0rd-1");

        var response = await client.PostJsonAsync("/api/users", new { username = "escalate" + Guid.NewGuid().ToString("N")[..6], password = "Passw0rd-1", displayName = "x", role = "DistrictAdmin", orgUnitId = SampleDistrict.Township1 });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Passwords_AreStoredHashed()
    {
        var username = await CreateUserAsync();

        var stored = await hub.WithDatabaseAsync(db => Task.FromResult(db.Users.Single(u => u.Username == username).PasswordHash));

        Assert.DoesNotContain("Passw0rd-1", stored, StringComparison.Ordinal);
        Assert.True(stored.Length > 40);
    }

    [Fact]
    public async Task CategoryList_IsPublic_ForTheKiosk()
    {
        var response = await hub.CreateClient().GetFromJsonAsync<List<Dictionary<string, object>>>("/api/consultations/categories").WaitAsync(TestTimeouts.Request);

        Assert.NotNull(response);
        Assert.Equal(5, response.Count);
    }
}
