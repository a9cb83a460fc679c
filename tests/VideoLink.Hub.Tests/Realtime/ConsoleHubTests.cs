using System.Net;
using Microsoft.Extensions.DependencyInjection;
using VideoLink.Hub.Organisation;
using VideoLink.Hub.Tests.Infrastructure;

namespace VideoLink.Hub.Tests.Realtime;

/// <summary>
/// The console's SignalR channel, spoken raw (JSON hub protocol over a WebSocket, RFC 6455) so the test depends on
/// nothing but the wire format: live presence reaches exactly the users whose subtree holds the site.
/// </summary>
public sealed class ConsoleHubTests(HubFactory hub) : IClassFixture<HubFactory>
{
    private async Task<string> TokenForNewUserAtAsync(Guid orgUnit)
    {
        var admin = await hub.LoginAsync();
        var username = "rt" + Guid.NewGuid().ToString("N")[..8];
        var created = await admin.PostJsonAsync("/api/users", new { username, password = "Passw0rd-1", displayName = "实时", role = "OrgStaff", orgUnitId = orgUnit });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var client = await hub.LoginAsync(username, "Passw0rd-1");
        return client.DefaultRequestHeaders.Authorization!.Parameter!;
    }

    [Fact]
    public async Task SiteOnline_IsPushedToItsTownship_AndNotToTheNextTownship()
    {
        await using var township1 = await ConsoleChannel.ConnectAsync(hub, await TokenForNewUserAtAsync(SampleDistrict.Township1));
        await using var township2 = await ConsoleChannel.ConnectAsync(hub, await TokenForNewUserAtAsync(SampleDistrict.Township2));
        var presence = hub.Services.GetRequiredService<Presence>();

        presence.SetSite(SampleDistrict.KioskOfVillage1Of1, true);
        var seenBy1 = await township1.NextAsync("siteOnline", TestTimeouts.Request);
        presence.SetSite(SampleDistrict.KioskOfVillage1Of2, true);
        var seenBy2 = await township2.NextAsync("siteOnline", TestTimeouts.Request);

        Assert.Equal(SampleDistrict.KioskOfVillage1Of1, seenBy1.GetProperty("id").GetGuid());
        // Township 2's first presence event is about its own village: the township-1 event never reached it.
        Assert.Equal(SampleDistrict.KioskOfVillage1Of2, seenBy2.GetProperty("id").GetGuid());
        presence.SetSite(SampleDistrict.KioskOfVillage1Of1, false);
        presence.SetSite(SampleDistrict.KioskOfVillage1Of2, false);
    }

    [Fact]
    public async Task RoomEvents_LegJoinedAndStats_ArePushedToTheRoomsSubtree()
    {
        await using var township1 = await ConsoleChannel.ConnectAsync(hub, await TokenForNewUserAtAsync(SampleDistrict.Township1));
        var admin = await hub.LoginAsync();
        var room = await (await admin.PostJsonAsync("/api/rooms", new { name = "推送测试", orgUnitId = SampleDistrict.Village1Of1 })).JsonAsync();
        var roomId = room.GetProperty("id").GetGuid();
        var sipPort = hub.Services.GetRequiredService<VideoLink.Sip.SipServer>().UdpEndPoint!.Port;
        await using var phone = new VideoLink.Hub.Tests.Conference.ScriptedSipLeg(new System.Net.IPEndPoint(IPAddress.Loopback, sipPort), "8101", "Sample-8101");
        await phone.JoinAsync($"sip:{room.GetProperty("sipNumber").GetString()}@127.0.0.1:{sipPort}", 600, TestTimeouts.Request);

        var joined = await township1.NextAsync("roomLegJoined", TestTimeouts.Request);
        var stats = await township1.NextAsync("roomStats", TestTimeouts.Request);
        await phone.HangUpAsync(TestTimeouts.Request);
        var left = await township1.NextAsync("roomLegLeft", TestTimeouts.Request);

        Assert.Equal(roomId, joined.GetProperty("roomId").GetGuid());
        Assert.Equal(roomId, stats.GetProperty("roomId").GetGuid());
        Assert.Equal(joined.GetProperty("legId").GetGuid(), left.GetProperty("legId").GetGuid());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/rooms/{room.GetProperty("id").GetString()}").WaitAsync(TestTimeouts.Request)).StatusCode);
    }

    [Fact]
    public async Task Connect_WithoutToken_IsRefused()
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => ConsoleChannel.ConnectAsync(hub, null));

        Assert.Contains("401", ex.Message, StringComparison.Ordinal);
    }
}
