using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using VideoLink.Hub.Tests.Conference;
using VideoLink.Hub.Tests.Infrastructure;
using VideoLink.Media.Tests.Support;
using Xunit.Abstractions;

namespace VideoLink.Hub.Tests.Bookings;

/// <summary>
/// A village joins the district's meeting from its browser terminal: the village's own user sees the running meeting
/// it was invited to (and nothing of it otherwise), joins over WHIP on the site's behalf (python3-aiortc here), and the
/// leg counts for that site — the conductor then stops prompting it. A neighbouring village sees nothing and cannot join.
/// </summary>
public sealed class MeetingTerminalTests(HubFactory hub, ITestOutputHelper output) : IClassFixture<HubFactory>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private async Task<HttpClient> UserAsync(HttpClient admin, Guid orgUnit)
    {
        var username = "site" + Guid.NewGuid().ToString("N")[..8];
        var created = await admin.PostJsonAsync("/api/users", new { username, password = "Terminal-pass1", displayName = "村值班员", role = "StationAttendant", orgUnitId = orgUnit });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return await hub.LoginAsync(username, "Terminal-pass1");
    }

    [Fact]
    public async Task InvitedVillage_SeesTheRunningMeeting_JoinsFromItsTerminal_AndItsLegCountsForTheSite()
    {
        var admin = await hub.LoginAsync();
        var village = await UserAsync(admin, SampleDistrict.Village1Of1);
        var neighbour = await UserAsync(admin, SampleDistrict.Village2Of1);
        await RunningMeeting.BookAsync(admin, "党建知识培训会", TimeSpan.FromMinutes(5));

        // The village's terminal finds the meeting once it has launched.
        var live = await RoomApi.UntilAsync(village, "/api/meetings/live", m => m.GetArrayLength() > 0, "the meeting launching", Timeout);
        Assert.Equal(1, live.GetArrayLength());
        var meeting = live[0];
        Assert.Equal("党建知识培训会", meeting.GetProperty("title").GetString());
        var site = Assert.Single(meeting.GetProperty("sites").EnumerateArray());
        Assert.Equal(SampleDistrict.KioskOfVillage1Of1, site.GetProperty("id").GetGuid()); // only its own invited site, never the district's
        var roomId = meeting.GetProperty("roomId").GetGuid();
        Assert.Equal(0, (await neighbour.GetJsonAsync("/api/meetings/live")).GetArrayLength());

        // It joins on the site's behalf; the neighbour cannot, nor can the village name a site it cannot see.
        await using var terminal = AiortcProcess.Start("aiortc_publisher.py", "video", 60);
        var offer = await terminal.ReadOfferAsync().WaitAsync(Timeout);
        StringContent Sdp() => new(offer, Encoding.UTF8, new MediaTypeHeaderValue("application/sdp"));
        Assert.Equal(HttpStatusCode.NotFound, (await neighbour.PostAsync($"/whip/{roomId}?site={SampleDistrict.KioskOfVillage2Of1}", Sdp())).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await village.PostAsync($"/whip/{roomId}?site={SampleDistrict.KioskOfVillage2Of1}", Sdp())).StatusCode);
        var joined = await village.PostAsync($"/whip/{roomId}?site={SampleDistrict.KioskOfVillage1Of1}", Sdp());
        Assert.True(joined.StatusCode == HttpStatusCode.Created, await joined.Content.ReadAsStringAsync());
        await terminal.SendAnswerAsync(await joined.Content.ReadAsStringAsync());
        var legId = Guid.Parse(joined.Headers.Location!.ToString().Split('/')[^1]);

        var room = await RoomApi.UntilAsync(admin, $"/api/rooms/{roomId}", r => r.GetProperty("legs").EnumerateArray()
            .Any(l => l.GetProperty("id").GetGuid() == legId && l.GetProperty("state").GetString() == "connected"), "the terminal's leg connecting", Timeout);
        var leg = room.GetProperty("legs").EnumerateArray().Single(l => l.GetProperty("id").GetGuid() == legId);
        output.WriteLine("terminal leg: " + leg);
        Assert.Equal(SampleDistrict.KioskOfVillage1Of1, leg.GetProperty("siteId").GetGuid());
        Assert.Equal("connected", leg.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.OK, (await village.DeleteAsync($"/whip/{roomId}/{legId}")).StatusCode);
    }
}
