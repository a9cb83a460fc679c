using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
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
    private const char RecordSeparator = '\u001e';

    private async Task<string> TokenForNewUserAtAsync(Guid orgUnit)
    {
        var admin = await hub.LoginAsync();
        var username = "rt" + Guid.NewGuid().ToString("N")[..8];
        var created = await admin.PostJsonAsync("/api/users", new { username, password = "Passw0rd-1", displayName = "实时", role = "OrgStaff", orgUnitId = orgUnit });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var client = await hub.LoginAsync(username, "Passw0rd-1");
        return client.DefaultRequestHeaders.Authorization!.Parameter!;
    }

    private async Task<WebSocket> ConnectAsync(string? token)
    {
        var client = hub.Server.CreateWebSocketClient();
        var url = new Uri(hub.Server.BaseAddress, "/hubs/console" + (token is null ? "" : "?access_token=" + Uri.EscapeDataString(token)));
        var ws = await client.ConnectAsync(new Uri("ws://" + url.Authority + url.PathAndQuery), CancellationToken.None).WaitAsync(TestTimeouts.Request);
        await SendAsync(ws, "{\"protocol\":\"json\",\"version\":1}");
        var handshake = await ReceiveAsync(ws);
        Assert.Equal("{}", handshake);
        return ws;
    }

    private static Task SendAsync(WebSocket ws, string message) =>
        ws.SendAsync(Encoding.UTF8.GetBytes(message + RecordSeparator), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(TestTimeouts.Request);

    /// <summary>The next hub message that is not a ping.</summary>
    private static async Task<string> ReceiveAsync(WebSocket ws)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var text = new StringBuilder();
            WebSocketReceiveResult result;
            do
            {
                result = await ws.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(TestTimeouts.Request);
                text.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
            }
            while (!result.EndOfMessage);

            foreach (var frame in text.ToString().Split(RecordSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                if (!frame.Contains("\"type\":6", StringComparison.Ordinal))
                {
                    return frame;
                }
            }
        }
    }

    [Fact]
    public async Task SiteOnline_IsPushedToItsTownship_AndNotToTheNextTownship()
    {
        var township1 = await ConnectAsync(await TokenForNewUserAtAsync(SampleDistrict.Township1));
        var township2 = await ConnectAsync(await TokenForNewUserAtAsync(SampleDistrict.Township2));
        var presence = hub.Services.GetRequiredService<Presence>();

        presence.SetSite(SampleDistrict.KioskOfVillage1Of1, true);
        var seenBy1 = JsonDocument.Parse(await ReceiveAsync(township1)).RootElement;
        presence.SetSite(SampleDistrict.KioskOfVillage1Of2, true);
        var seenBy2 = JsonDocument.Parse(await ReceiveAsync(township2)).RootElement;

        Assert.Equal("siteOnline", seenBy1.GetProperty("target").GetString());
        Assert.Equal(SampleDistrict.KioskOfVillage1Of1, seenBy1.GetProperty("arguments")[0].GetProperty("id").GetGuid());
        // Township 2's first message is about its own village: the township-1 event never reached it.
        Assert.Equal(SampleDistrict.KioskOfVillage1Of2, seenBy2.GetProperty("arguments")[0].GetProperty("id").GetGuid());
        presence.SetSite(SampleDistrict.KioskOfVillage1Of1, false);
        presence.SetSite(SampleDistrict.KioskOfVillage1Of2, false);
    }

    [Fact]
    public async Task RoomEvents_LegJoinedAndStats_ArePushedToTheRoomsSubtree()
    {
        var township1 = await ConnectAsync(await TokenForNewUserAtAsync(SampleDistrict.Township1));
        var admin = await hub.LoginAsync();
        var room = await (await admin.PostJsonAsync("/api/rooms", new { name = "推送测试", orgUnitId = SampleDistrict.Village1Of1 })).JsonAsync();
        var sipPort = hub.Services.GetRequiredService<VideoLink.Sip.SipServer>().UdpEndPoint!.Port;
        await using var phone = new VideoLink.Hub.Tests.Conference.ScriptedSipLeg(new System.Net.IPEndPoint(IPAddress.Loopback, sipPort), "8101", "Sample-8101");
        await phone.JoinAsync($"sip:{room.GetProperty("sipNumber").GetString()}@127.0.0.1:{sipPort}", 600, TestTimeouts.Request);

        var seen = new HashSet<string>();
        var deadline = DateTime.UtcNow + TestTimeouts.Request;
        while (DateTime.UtcNow < deadline && !(seen.Contains("roomLegJoined") && seen.Contains("roomStats")))
        {
            var message = JsonDocument.Parse(await ReceiveAsync(township1)).RootElement;
            var target = message.GetProperty("target").GetString()!;
            if (target.StartsWith("room", StringComparison.Ordinal))
            {
                Assert.Equal(room.GetProperty("id").GetGuid(), message.GetProperty("arguments")[0].GetProperty("roomId").GetGuid());
                seen.Add(target);
            }
        }

        Assert.Contains("roomLegJoined", seen);
        Assert.Contains("roomStats", seen);
        await phone.HangUpAsync(TestTimeouts.Request);
        string left;
        do
        {
            left = JsonDocument.Parse(await ReceiveAsync(township1)).RootElement.GetProperty("target").GetString()!;
        }
        while (left != "roomLegLeft");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/rooms/{room.GetProperty("id").GetString()}").WaitAsync(TestTimeouts.Request)).StatusCode);
    }

    [Fact]
    public async Task Connect_WithoutToken_IsRefused()
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync(null));

        Assert.Contains("401", ex.Message, StringComparison.Ordinal);
    }
}
