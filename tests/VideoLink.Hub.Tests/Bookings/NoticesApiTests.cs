using System.Net;
using VideoLink.Hub.Tests.Infrastructure;

namespace VideoLink.Hub.Tests.Bookings;

/// <summary>Notices with read receipts: recipients below the sender see and read them; the sender sees who read and who not.</summary>
public sealed class NoticesApiTests(HubFactory hub) : IClassFixture<HubFactory>
{
    private async Task<(HttpClient Client, Guid Id)> UserAsync(HttpClient admin, Guid unit, string role)
    {
        var username = "n" + Guid.NewGuid().ToString("N")[..8];
        var created = await admin.PostJsonAsync("/api/users", new { username, password = "Notice-pass1", displayName = "收件人", role, orgUnitId = unit });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await hub.LoginAsync(username, "Notice-pass1"), (await created.JsonAsync()).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Notice_ToATownship_ReachesItsVillages_ReceiptsShowWhoReadAndWhoNot()
    {
        var admin = await hub.LoginAsync();
        var (staff, _) = await UserAsync(admin, SampleDistrict.Township1, "OrgStaff");
        var (reader, readerId) = await UserAsync(admin, SampleDistrict.Village1Of1, "Member");
        var (idle, idleId) = await UserAsync(admin, SampleDistrict.Village2Of1, "StationAttendant");
        var (outsider, _) = await UserAsync(admin, SampleDistrict.Township2, "Member");

        var sent = await staff.PostJsonAsync("/api/notices", new { title = "三·五基层工作日提醒", body = "请按时到岗签到。", targets = new { orgUnitIds = new[] { SampleDistrict.Township1 } } });
        var id = (await sent.JsonAsync()).GetProperty("id").GetGuid();
        var inbox = await reader.GetJsonAsync("/api/notices?unread=true");
        var read = await reader.PostJsonAsync($"/api/notices/{id}/read", new { });
        var readAgain = await reader.PostJsonAsync($"/api/notices/{id}/read", new { });
        var receipts = await staff.GetJsonAsync($"/api/notices/{id}/receipts");
        var outsiderView = await outsider.GetAsync($"/api/notices/{id}").WaitAsync(TestTimeouts.Request);
        var memberReceipts = await reader.GetAsync($"/api/notices/{id}/receipts").WaitAsync(TestTimeouts.Request);

        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        Assert.Contains(inbox.EnumerateArray(), n => n.GetProperty("id").GetGuid() == id);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal((await read.JsonAsync()).GetProperty("read").GetString(), (await readAgain.JsonAsync()).GetProperty("read").GetString());
        Assert.Contains(receipts.GetProperty("read").EnumerateArray(), r => r.GetProperty("userId").GetGuid() == readerId);
        Assert.Contains(receipts.GetProperty("unread").EnumerateArray(), r => r.GetProperty("userId").GetGuid() == idleId);
        Assert.Equal(receipts.GetProperty("recipients").GetInt32(), receipts.GetProperty("read").GetArrayLength() + receipts.GetProperty("unread").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, outsiderView.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, memberReceipts.StatusCode);
        Assert.DoesNotContain((await idle.GetJsonAsync("/api/notices")).EnumerateArray(), n => n.GetProperty("read").ValueKind == System.Text.Json.JsonValueKind.String);
    }

    [Fact]
    public async Task BadNotices_Are400WithTheField_OrNotFoundOutsideTheSubtree()
    {
        var admin = await hub.LoginAsync();
        var (staff, _) = await UserAsync(admin, SampleDistrict.Township1, "OrgStaff");

        var noTargets = await staff.PostJsonAsync("/api/notices", new { title = "x", body = "y", targets = new { } });
        var noTitle = await staff.PostJsonAsync("/api/notices", new { body = "y", targets = new { orgUnitIds = new[] { SampleDistrict.Township1 } } });
        var sibling = await staff.PostJsonAsync("/api/notices", new { title = "x", body = "y", targets = new { siteIds = new[] { SampleDistrict.KioskOfVillage1Of2 } } });
        var longBody = await staff.PostJsonAsync("/api/notices", new { title = "x", body = new string('长', 4001), targets = new { orgUnitIds = new[] { SampleDistrict.Township1 } } });

        Assert.Equal(HttpStatusCode.BadRequest, noTargets.StatusCode);
        Assert.True((await noTargets.JsonAsync()).GetProperty("errors").TryGetProperty("targets", out _));
        Assert.True((await noTitle.JsonAsync()).GetProperty("errors").TryGetProperty("title", out _));
        Assert.Equal(HttpStatusCode.NotFound, sibling.StatusCode);
        Assert.True((await longBody.JsonAsync()).GetProperty("errors").TryGetProperty("body", out _));
    }
}
