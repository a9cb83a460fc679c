using System.Net;
using Microsoft.Extensions.DependencyInjection;
using VideoLink.Hub.Security;
using VideoLink.Hub.Storage.Entities;
using VideoLink.Hub.Supervision;
using VideoLink.Hub.Tests.Infrastructure;

namespace VideoLink.Hub.Tests.Bookings;

/// <summary>Duty sign-in (网上签到) and the weekly supervision report (督查通知单) delivered as a notice with the file.</summary>
public sealed class SupervisionTests(HubFactory hub) : IClassFixture<HubFactory>
{
    private const string IdNumber = "11010519491231002X";

    [Fact]
    public async Task CadreSignedInTwoOfThreeDays_OnceLate_ReportShowsIt_AndTheWeeklyNoticeCarriesTheFile()
    {
        var admin = await hub.LoginAsync();
        var created = await admin.PostJsonAsync("/api/people", new { name = "王干部", orgUnitId = SampleDistrict.Village1Of1, idNumber = IdNumber,
            dutySiteId = SampleDistrict.KioskOfVillage1Of1, dutyDaysPerWeek = 3, dutyStart = "09:00" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var staffUser = await admin.PostJsonAsync("/api/users", new { username = "tw1staff", password = "Staff-pass1", displayName = "组织委员", role = "OrgStaff", orgUnitId = SampleDistrict.Township1 });
        Assert.Equal(HttpStatusCode.Created, staffUser.StatusCode);
        var staff = await hub.LoginAsync("tw1staff", "Staff-pass1");

        // Last week (Asia/Shanghai): Monday 08:30 and Tuesday 09:20 (late) at the duty station, twice on Monday.
        var zone = SupervisionReports.Zone;
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, zone));
        var monday = SupervisionReports.WeekOf(today).AddDays(-7);
        DateTime Utc(DateOnly d, int h, int m) => TimeZoneInfo.ConvertTimeToUtc(d.ToDateTime(new TimeOnly(h, m)), zone);
        await hub.WithDatabaseAsync(async db =>
        {
            var person = db.People.Single(p => p.Name == "王干部");
            var site = db.Sites.Single(s => s.Id == SampleDistrict.KioskOfVillage1Of1);
            foreach (var (t, method) in new[] { (Utc(monday, 8, 30), CheckInMethod.IdCard), (Utc(monday, 12, 0), CheckInMethod.IdCard), (Utc(monday.AddDays(1), 9, 20), CheckInMethod.SignIn) })
            {
                db.CheckIns.Add(new CheckIn { Id = Guid.NewGuid(), SiteId = site.Id, DeviceCode = "idreader", Method = method, PersonHash = person.IdNumberHash, DeviceTimeUtc = t, ReceivedUtc = t, OrgPath = site.OrgPath });
            }

            return await db.SaveChangesAsync();
        });

        var report = await staff.GetJsonAsync($"/api/supervision?orgUnitId={SampleDistrict.Township1}&week={monday.AddDays(3):yyyy-MM-dd}");
        var badWeek = await staff.GetAsync("/api/supervision?week=last-week").WaitAsync(TestTimeouts.Request);
        var sent = await hub.Services.GetRequiredService<SupervisionReports>().SendWeeklyAsync(CancellationToken.None);
        var inbox = await staff.GetJsonAsync("/api/notices");

        var row = Assert.Single(report.GetProperty("duty").EnumerateArray());
        Assert.Equal(3, row.GetProperty("requiredDays").GetInt32());
        Assert.Equal(2, row.GetProperty("signedDays").GetInt32());
        Assert.Equal(1, row.GetProperty("missedDays").GetInt32());
        Assert.Equal(1, row.GetProperty("lateDays").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, badWeek.StatusCode);
        Assert.True(sent >= 2); // the district's admin and township 1's staff
        var notice = Assert.Single(inbox.EnumerateArray(), n => n.GetProperty("kind").GetString() == "supervision");
        var file = await staff.GetStringAsync($"/api/notices/{notice.GetProperty("id").GetGuid()}/attachment").WaitAsync(TestTimeouts.Request);
        Assert.Contains("王干部", file, StringComparison.Ordinal);
        Assert.Contains("3,2,1,1", file, StringComparison.Ordinal);
    }
}
