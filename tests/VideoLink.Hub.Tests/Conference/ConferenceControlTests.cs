using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VideoLink.Hub.Conference;
using VideoLink.Hub.Tests.Infrastructure;
using VideoLink.Sip;
using VideoLink.Sip.Tests.Infrastructure;
using Xunit.Abstractions;

using static VideoLink.Hub.Tests.Conference.RoomApi;

namespace VideoLink.Hub.Tests.Conference;

/// <summary>A hub whose SIP legs time out after 5 s of RTP silence, so the robustness rule is observable quickly.</summary>
public sealed class ShortTimeoutHub : HubFactory
{
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Conference:RtpTimeoutSeconds", "5");
    }
}

/// <summary>
/// The chair's API against live SIP legs (ffmpeg video phones dialling in, baresip dialled out): polling and roll call
/// move what each leg watches, PIN and lock guard the door, a silent phone is removed, and bad input is a 400 naming
/// the field. In the Chromium collection so the heavy media tests run one after another on the shared 2-core machine.
/// </summary>
[Collection(VideoLink.Media.Tests.Interop.ChromiumCollection.Name)]
public sealed class ConferenceControlTests(ShortTimeoutHub hub, ITestOutputHelper output) : IClassFixture<ShortTimeoutHub>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private int SipPort
    {
        get
        {
            _ = hub.Server;
            return hub.Services.GetRequiredService<SipServer>().UdpEndPoint!.Port;
        }
    }

    private async Task<(HttpClient Admin, string Id, string Target)> RoomAsync()
    {
        var admin = await hub.LoginAsync();
        var room = await (await admin.PostJsonAsync("/api/rooms", new { name = "主席控制" })).JsonAsync();
        return (admin, room.GetProperty("id").GetString()!, $"sip:{room.GetProperty("sipNumber").GetString()}@127.0.0.1:{SipPort}");
    }

    private ScriptedSipLeg Phone(string user) => new(new IPEndPoint(IPAddress.Loopback, SipPort), user, "Sample-" + user);

    private static Guid LegOf(JsonElement room, string endpointName) =>
        room.GetProperty("legs").EnumerateArray().Single(l => l.GetProperty("displayName").GetString()!.Contains(endpointName, StringComparison.Ordinal)).GetProperty("id").GetGuid();

    [Fact]
    public async Task Polling_RotatesWhatEveryoneSees_RollCallShowsTheCalledSite_AndASilentPhoneIsRemoved()
    {
        var (admin, id, target) = await RoomAsync();
        await using var p1 = Phone("8101");
        await using var p2 = Phone("8301");
        await using var p3 = Phone("82003");
        await p1.JoinAsync(target, 500, Timeout);
        await p2.JoinAsync(target, 900, Timeout);
        await p3.JoinAsync(target, 1300, Timeout);
        // Three phones in the room, each already sending (ffmpeg may start slowly on a loaded machine).
        var room = await UntilAsync(admin, $"/api/rooms/{id}", r => r.GetProperty("legs").GetArrayLength() == 3
            && r.GetProperty("legs").EnumerateArray().All(l => l.GetProperty("stats").GetProperty("packetsReceived").GetInt64() > 0), "three sending phones in the room");
        var names = await hub.WithDatabaseAsync(db => db.Endpoints.Where(e => e.SipUser == "8101" || e.SipUser == "8301" || e.SipUser == "82003").ToDictionaryAsync(e => e.SipUser!, e => e.DisplayName));
        Guid l1 = LegOf(room, names["8101"]), l2 = LegOf(room, names["8301"]), l3 = LegOf(room, names["82003"]);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutJsonAsync($"/api/rooms/{id}/main-venue", new { legId = l1 })).StatusCode);

        // 轮巡 every 2 s through p2 and p3: the main venue watches them in turn.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostJsonAsync($"/api/rooms/{id}/polling", new { legIds = new[] { l2, l3 }, intervalSeconds = 2 })).StatusCode);
        var seen = new List<Guid?>();
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(7);
        while (DateTime.UtcNow < until)
        {
            var w = Watching(await admin.GetJsonAsync($"/api/rooms/{id}"), l1);
            if (seen.Count == 0 || seen[^1] != w)
            {
                seen.Add(w);
            }

            await Task.Delay(100);
        }

        output.WriteLine("main venue watched: " + string.Join(" → ", seen.Select(s => s == l2 ? "p2" : s == l3 ? "p3" : s?.ToString() ?? "-")));
        Assert.Contains(l2, seen);
        Assert.Contains(l3, seen);
        Assert.True(seen.Count(s => s == l2 || s == l3) >= 3, "polling did not rotate: " + string.Join(",", seen));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/rooms/{id}/polling").WaitAsync(Timeout)).StatusCode);

        // 点名 p3: everyone, the main venue included, watches p3 (after its keyframe); p3 watches the main venue.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostJsonAsync($"/api/rooms/{id}/roll-call", new { legId = l3 })).StatusCode);
        var called = await UntilAsync(admin, $"/api/rooms/{id}", r => Watching(r, l1) == l3 && Watching(r, l2) == l3 && Watching(r, l3) == l1, "roll call of p3");
        var live = called.GetProperty("live");
        Assert.Equal(l3, live.GetProperty("rollCall").GetGuid());
        Assert.True(p1.InfoRequests + p2.InfoRequests + p3.InfoRequests > 0, "no SIP INFO picture_fast_update was sent on a switch");
        var stats = called.GetProperty("legs").EnumerateArray().Single(l => l.GetProperty("id").GetGuid() == l1).GetProperty("stats");
        output.WriteLine("p1 stats: " + stats);
        Assert.True(stats.GetProperty("packetsReceived").GetInt64() > 100);
        Assert.True(stats.GetProperty("inboundKbps").GetDouble() > 0);
        Assert.True(stats.GetProperty("outboundKbps").GetDouble() > 0);

        // Chair mute and mute-all-but-main-venue show in the legs.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostJsonAsync($"/api/rooms/{id}/legs/{l2}/mute", new { })).StatusCode);
        Assert.True((await admin.GetJsonAsync($"/api/rooms/{id}")).GetProperty("legs").EnumerateArray().Single(l => l.GetProperty("id").GetGuid() == l2).GetProperty("muted").GetBoolean());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostJsonAsync($"/api/rooms/{id}/mute-all", new { })).StatusCode);
        var muted = (await admin.GetJsonAsync($"/api/rooms/{id}")).GetProperty("legs").EnumerateArray().ToDictionary(l => l.GetProperty("id").GetGuid(), l => l.GetProperty("muted").GetBoolean());
        Assert.False(muted[l1]);
        Assert.True(muted[l2] && muted[l3]);

        // p2 goes silent without a BYE: gone within the RTP timeout (5 s here), hung up, interval closed as timeout.
        var silentAt = DateTime.UtcNow;
        await p2.GoSilentAsync();
        await UntilAsync(admin, $"/api/rooms/{id}", r => r.GetProperty("legs").GetArrayLength() == 2, "the silent phone leaving", TimeSpan.FromSeconds(12));
        output.WriteLine($"silent phone removed after {(DateTime.UtcNow - silentAt).TotalSeconds:F1} s");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (!p2.ByeReceived && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.True(p2.ByeReceived, "the hub did not hang up the silent phone");
        await hub.Services.GetRequiredService<ConferenceService>().FlushIntervalsAsync(CancellationToken.None).WaitAsync(Timeout);
        var intervals = (await admin.GetJsonAsync($"/api/rooms/{id}/intervals")).EnumerateArray().ToList();
        Assert.Equal("timeout", intervals.Single(i => i.GetProperty("legId").GetGuid() == l2).GetProperty("leftReason").GetString());

        // The others were not disturbed: p1 still receives video.
        var before = p1.ReceivedVideo.Count;
        await Task.Delay(1000);
        Assert.True(p1.ReceivedVideo.Count > before, "p1's video stopped when p2 went silent");
        await p1.HangUpAsync(Timeout);
        await p3.HangUpAsync(Timeout);
    }

    [Fact]
    public async Task DialIn_NeedsThePin_AndALockedRoomAdmitsNobody()
    {
        var (admin, id, target) = await RoomAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutJsonAsync($"/api/rooms/{id}/pin", new { pin = "2468" })).StatusCode);

        await using (var noPin = Phone("8101"))
        {
            Assert.StartsWith("SIP/2.0 403", await noPin.TryJoinAsync(target, 500, Timeout), StringComparison.Ordinal);
        }

        await using (var wrongPin = Phone("8101"))
        {
            Assert.StartsWith("SIP/2.0 403", await wrongPin.TryJoinAsync(target.Replace("@", "*1111@", StringComparison.Ordinal), 500, Timeout), StringComparison.Ordinal);
        }

        await using var withPin = Phone("8101");
        await withPin.JoinAsync(target.Replace("@", "*2468@", StringComparison.Ordinal), 500, Timeout);
        await UntilAsync(admin, $"/api/rooms/{id}", r => r.GetProperty("legs").GetArrayLength() == 1 && r.GetProperty("live").GetProperty("hasPin").GetBoolean(), "the phone with the PIN joining");

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutJsonAsync($"/api/rooms/{id}/lock", new { locked = true })).StatusCode);
        await using var late = Phone("8301");
        Assert.StartsWith("SIP/2.0 403", await late.TryJoinAsync(target.Replace("@", "*2468@", StringComparison.Ordinal), 500, Timeout), StringComparison.Ordinal);
        var whip = await admin.PostAsync($"/whip/{id}", new StringContent("v=0", System.Text.Encoding.UTF8, "application/sdp")).WaitAsync(Timeout);
        Assert.Equal((HttpStatusCode)423, whip.StatusCode);
        await withPin.HangUpAsync(Timeout);
    }

    [Fact]
    public async Task DialOut_ToARegisteredBaresip_BecomesASipLeg_AndTheChairCanKickIt()
    {
        var (admin, id, _) = await RoomAsync();
        var sip = hub.Services.GetRequiredService<SipServer>();
        await using var site = Baresip.Start(SipPort, "82004", "Sample-82004", TimeSpan.FromSeconds(60), ";answermode=auto");
        var deadline = DateTime.UtcNow + Timeout;
        while (!sip.IsOnline("82004") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.True(sip.IsOnline("82004"), "baresip did not register: " + site.Output);
        var endpointId = await hub.WithDatabaseAsync(db => db.Endpoints.Where(e => e.SipUser == "82004").Select(e => e.Id).SingleAsync());

        var dialled = await admin.PostJsonAsync($"/api/rooms/{id}/legs", new { endpointId });
        Assert.Equal(HttpStatusCode.Created, dialled.StatusCode);
        var legId = (await dialled.JsonAsync()).GetProperty("id").GetGuid();
        var room = await UntilAsync(admin, $"/api/rooms/{id}", r => r.GetProperty("legs").GetArrayLength() == 1, "the dialled leg");
        var leg = room.GetProperty("legs")[0];
        Assert.Equal("Sip", leg.GetProperty("kind").GetString());
        Assert.Equal(endpointId, leg.GetProperty("endpointId").GetGuid());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/rooms/{id}/legs/{legId}").WaitAsync(Timeout)).StatusCode);
        await UntilAsync(admin, $"/api/rooms/{id}", r => r.GetProperty("legs").GetArrayLength() == 0, "the kicked leg leaving");
        await hub.Services.GetRequiredService<ConferenceService>().FlushIntervalsAsync(CancellationToken.None).WaitAsync(Timeout);
        var interval = (await admin.GetJsonAsync($"/api/rooms/{id}/intervals"))[0];
        Assert.Equal("kicked", interval.GetProperty("leftReason").GetString());
        Assert.Equal(endpointId, interval.GetProperty("endpointId").GetGuid());

        var offline = await admin.PostJsonAsync($"/api/rooms/{id}/legs", new { sipUri = "sip:82001@127.0.0.1" });
        Assert.Equal(HttpStatusCode.Conflict, offline.StatusCode); // a directory phone that is not registered
    }

    [Fact]
    public async Task DialOut_ToTheSipUriOfAnUnregisteredRoomCodec_JoinsItAsALeg()
    {
        // A township's room codec that never registers here, dialled by address (a SIPp UAS on another port).
        var (admin, id, _) = await RoomAsync();
        int codecPort = Sipp.FreePort();
        var codec = Sipp.RunAsync("uas_codec.xml", SipPort, ["-mp", Sipp.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(60), "u1", codecPort);
        await Sipp.UntilListeningAsync(codecPort, TimeSpan.FromSeconds(10));

        var dialled = await admin.PostJsonAsync($"/api/rooms/{id}/legs", new { sipUri = $"sip:codec@127.0.0.1:{codecPort}" });
        Assert.True(dialled.StatusCode == HttpStatusCode.Created, await dialled.Content.ReadAsStringAsync());
        var legId = (await dialled.JsonAsync()).GetProperty("id").GetGuid();
        var room = await UntilAsync(admin, $"/api/rooms/{id}", r => r.GetProperty("legs").EnumerateArray().Any(l => l.GetProperty("id").GetGuid() == legId), "the codec's leg");
        Assert.Equal("Sip", room.GetProperty("legs").EnumerateArray().Single(l => l.GetProperty("id").GetGuid() == legId).GetProperty("kind").GetString());

        // The chair drops it: the hub sends BYE, which the codec's scenario waits for.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/rooms/{id}/legs/{legId}").WaitAsync(Timeout)).StatusCode);
        await UntilAsync(admin, $"/api/rooms/{id}", r => r.GetProperty("legs").GetArrayLength() == 0, "the codec leaving");
        var result = await codec.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Theory]
    [InlineData("POST", "polling", "{\"legIds\":[],\"intervalSeconds\":5}", "legIds")]
    [InlineData("POST", "polling", "{\"legIds\":[\"6f9619ff-8b86-d011-b42d-00cf4fc964ff\"],\"intervalSeconds\":0}", "intervalSeconds")]
    [InlineData("PUT", "video-mode", "{\"mode\":\"Gallery\"}", "mode")]
    [InlineData("PUT", "video-mode", "{\"mode\":\"1\"}", "mode")]
    [InlineData("PUT", "main-venue", "{}", "legId")]
    [InlineData("POST", "roll-call", "{\"legId\":\"00000000-0000-0000-0000-000000000000\"}", "legId")]
    [InlineData("PUT", "pin", "{\"pin\":\"12\"}", "pin")]
    [InlineData("PUT", "pin", "{\"pin\":\"12ab\"}", "pin")]
    [InlineData("PUT", "lock", "{}", "locked")]
    [InlineData("POST", "legs", "{\"endpointId\":\"6f9619ff-8b86-d011-b42d-00cf4fc964ff\",\"sipUri\":\"sip:8101@127.0.0.1\"}", "endpointId")]
    [InlineData("POST", "legs", "{\"sipUri\":\"tel:12345\"}", "sipUri")]
    public async Task BadInput_Is400_NamingTheField(string method, string path, string body, string field)
    {
        var (admin, id, _) = await RoomAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), $"/api/rooms/{id}/{path}") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };

        var response = await admin.SendAsync(request).WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.JsonAsync();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task UnknownLegOrRoom_IsNotFound()
    {
        var (admin, id, _) = await RoomAsync();

        var leg = await admin.PostJsonAsync($"/api/rooms/{id}/roll-call", new { legId = Guid.NewGuid() });
        var room = await admin.PostJsonAsync($"/api/rooms/{Guid.NewGuid()}/roll-call", new { legId = Guid.NewGuid() });
        var kick = await admin.DeleteAsync($"/api/rooms/{id}/legs/{Guid.NewGuid()}").WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.NotFound, leg.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, room.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, kick.StatusCode);
    }
}
