using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using VideoLink.Hub.Tests.Infrastructure;
using VideoLink.Sip;
using VideoLink.Sip.Tests.Infrastructure;

namespace VideoLink.Hub.Tests.Sip;

/// <summary>
/// The SIP registrar inside the hub, driven by SIPp (a real, independent SIP implementation) with the accounts of the
/// sample district: credentials come from the directory (HA1 only), presence shows in the directory API.
/// </summary>
public sealed class HubSipTests(HubFactory hub) : IClassFixture<HubFactory>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private static string[] Caller(string user, string password, string service) =>
        ["-key", "user", user, "-au", user, "-ap", password, "-s", service, "-key", "domain", "127.0.0.1"];

    private int SipPort
    {
        get
        {
            _ = hub.Server;
            return hub.Services.GetRequiredService<SipServer>().UdpEndPoint!.Port;
        }
    }

    [Fact]
    public async Task SeededKioskPhone_RegistersWithItsDirectoryPassword_AndShowsOnline()
    {
        var port = SipPort;
        var admin = await hub.LoginAsync();

        var result = await Sipp.RunAsync("register_digest.xml", port, Caller("82001", "Sample-82001", "x"), Timeout);

        Assert.True(result.ExitCode == 0, result.ToString());
        var deadline = DateTime.UtcNow + Timeout;
        var online = false;
        while (!online && DateTime.UtcNow < deadline)
        {
            var endpoints = await admin.GetJsonAsync($"/api/endpoints?siteId={SampleDistrict.KioskOfVillage1Of1}");
            online = endpoints.EnumerateArray().Any(e => e.GetProperty("sipUser").GetString() == "82001" && e.GetProperty("online").GetBoolean());
            await Task.Delay(100);
        }

        Assert.True(online, "82001 did not show online in /api/endpoints");
    }

    [Fact]
    public async Task PasswordChangedThroughTheApi_OldPasswordIsRejected_NewOneAccepted()
    {
        var port = SipPort;
        var admin = await hub.LoginAsync();
        var endpoints = await admin.GetJsonAsync($"/api/endpoints?siteId={SampleDistrict.KioskOfVillage2Of1}");
        var phone = endpoints.EnumerateArray().First(e => e.GetProperty("kind").GetString() == "Sip");
        var user = phone.GetProperty("sipUser").GetString()!;
        var before = await Sipp.RunAsync("register_digest.xml", port, Caller(user, "Sample-" + user, "x"), Timeout); // now cached

        var changed = await admin.PutJsonAsync($"/api/endpoints/{phone.GetProperty("id").GetString()}", new { password = "Changed-pass-1" });
        var old = await Sipp.RunAsync("register_wrong_password.xml", port, Caller(user, "Sample-" + user, "x"), Timeout);
        var fresh = await Sipp.RunAsync("register_digest.xml", port, Caller(user, "Changed-pass-1", "x"), Timeout);

        Assert.True(before.ExitCode == 0, before.ToString());
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.True(old.ExitCode == 0, old.ToString());
        Assert.True(fresh.ExitCode == 0, fresh.ToString());
    }

    [Fact]
    public async Task EchoCall_FromASeededPhone_IsAnsweredAndHungUp()
    {
        var result = await Sipp.RunAsync("invite_echo.xml", SipPort, Caller("8101", "Sample-8101", "echo"), Timeout);

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task EndpointCreatedAfterAFailedAttempt_RegistersAtOnce_AndNoLongerOnceDeleted()
    {
        var port = SipPort;
        var admin = await hub.LoginAsync();
        const string user = "89001";
        var unknown = await Sipp.RunAsync("register_wrong_password.xml", port, Caller(user, "New-phone-pass-1", "x"), Timeout); // "no such user" cached

        var created = await admin.PostJsonAsync("/api/endpoints", new { siteId = SampleDistrict.KioskOfVillage2Of1, kind = "Sip", sipUser = user, password = "New-phone-pass-1", displayName = "New phone" });
        var id = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString();
        var registered = await Sipp.RunAsync("register_digest.xml", port, Caller(user, "New-phone-pass-1", "x"), Timeout);
        var deleted = await admin.DeleteAsync($"/api/endpoints/{id}");
        var afterDelete = await Sipp.RunAsync("register_wrong_password.xml", port, Caller(user, "New-phone-pass-1", "x"), Timeout);

        Assert.True(unknown.ExitCode == 0, unknown.ToString());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.True(registered.ExitCode == 0, registered.ToString());
        Assert.True(deleted.IsSuccessStatusCode, deleted.StatusCode.ToString());
        Assert.True(afterDelete.ExitCode == 0, afterDelete.ToString());
    }

    [Fact]
    public async Task UnknownUser_CannotRegister()
    {
        var result = await Sipp.RunAsync("register_wrong_password.xml", SipPort, Caller("nobody", "whatever-pass", "x"), Timeout);

        Assert.True(result.ExitCode == 0, result.ToString());
    }
}
