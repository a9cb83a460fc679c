using System.Net;
using VideoLink.Hub.Tests.Conference;
using VideoLink.Hub.Tests.Infrastructure;

namespace VideoLink.Hub.Tests.Bookings;

/// <summary>
/// A site terminal learns that its meeting started, and that it ended, from the console channel at once (not on its
/// next refresh) — and, like every push, only consoles whose subtree holds an invited site hear of it.
/// </summary>
public sealed class MeetingLivePushTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task BookedMeeting_StartAndEnd_ArePushedToTheInvitedVillage_NotToItsNeighbour()
    {
        await using var hub = new HubFactory();
        var admin = await hub.LoginAsync();
        await using var village = await ConsoleChannel.ConnectAsync(hub, await TokenForNewUserAsync(hub, admin, SampleDistrict.Village1Of1, "StationAttendant"));
        await using var neighbour = await ConsoleChannel.ConnectAsync(hub, await TokenForNewUserAsync(hub, admin, SampleDistrict.Village2Of1, "StationAttendant"));

        await RunningMeeting.BookAsync(admin, "党建知识培训会", TimeSpan.FromMinutes(10));
        var started = await village.NextAsync("meetingLive", Wait);
        var live = await RoomApi.UntilAsync(admin, "/api/meetings/live", m => m.GetArrayLength() > 0, "the meeting launching", Wait);
        var bookingId = started.GetProperty("bookingId").GetGuid();

        Assert.True(started.GetProperty("live").GetBoolean());
        Assert.Equal(live[0].GetProperty("bookingId").GetGuid(), bookingId);
        Assert.Equal(live[0].GetProperty("roomId").GetGuid(), started.GetProperty("roomId").GetGuid());

        var cancelled = await admin.DeleteAsync($"/api/bookings/{bookingId}").WaitAsync(TestTimeouts.Request);
        Assert.True(cancelled.IsSuccessStatusCode, await cancelled.Content.ReadAsStringAsync());
        var ended = await village.NextAsync("meetingLive", Wait);

        Assert.False(ended.GetProperty("live").GetBoolean());
        Assert.Equal(bookingId, ended.GetProperty("bookingId").GetGuid());
        Assert.False(await neighbour.ReceivesAsync("meetingLive", TimeSpan.FromSeconds(2)), "a village that was not invited heard of the meeting");
    }

    private static async Task<string> TokenForNewUserAsync(HubFactory hub, HttpClient admin, Guid orgUnit, string role)
    {
        var username = "ml" + Guid.NewGuid().ToString("N")[..8];
        var created = await admin.PostJsonAsync("/api/users", new { username, password = "Passw0rd-1", displayName = "值班员", role, orgUnitId = orgUnit });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var client = await hub.LoginAsync(username, "Passw0rd-1");
        return client.DefaultRequestHeaders.Authorization!.Parameter!;
    }
}
