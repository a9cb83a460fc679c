using System.Net;
using VideoLink.Hub.Tests.Infrastructure;
using static VideoLink.Hub.Tests.Consultations.ConsultationClients;

namespace VideoLink.Hub.Tests.Consultations;

/// <summary>
/// What the staff console's 服务面对面 page reads: the live queues (<c>GET /api/consultations/queues</c>), the records
/// filtered by unit and expert with a total for paging, and the satisfaction counts in the statistics.
/// </summary>
[Collection(ConsultationCollection.Name)]
public sealed class ConsultationDeskApiTests
{
    [Fact]
    public async Task Queues_ShowWaitingVillagersInOrderWithSiteNames_AndTheBusyExpert()
    {
        await using var hub = HubFactory.With(new() { ["Consultations:PositionPushMilliseconds"] = "100" });
        var admin = await hub.LoginAsync();
        var expert = await ExpertAsync(hub, admin, SampleDistrict.HealthStation1, "Busy");

        var first = await RequestAsync(admin, SampleDistrict.KioskOfVillage1Of1);
        var second = await RequestAsync(admin, SampleDistrict.KioskOfVillage1Of2);
        var queues = await admin.GetJsonAsync("/api/consultations/queues");

        var medical = queues.EnumerateArray().Single(q => q.GetProperty("code").GetString() == "medical");
        var waiting = medical.GetProperty("waiting").EnumerateArray().ToList();
        Assert.Equal([first.GetProperty("id").GetGuid(), second.GetProperty("id").GetGuid()], waiting.Select(w => w.GetProperty("id").GetGuid()));
        Assert.Equal([1, 2], waiting.Select(w => w.GetProperty("position").GetInt32()));
        Assert.All(waiting, w => Assert.False(string.IsNullOrEmpty(w.GetProperty("siteName").GetString())));
        Assert.All(waiting, w => Assert.False(w.GetProperty("ringing").GetBoolean()));
        var busy = medical.GetProperty("experts").EnumerateArray().Single(e => e.GetProperty("id").GetGuid() == expert.Id);
        Assert.Equal("Busy", busy.GetProperty("presence").GetString());
        Assert.True(busy.GetProperty("onDuty").GetBoolean());
        Assert.Empty(medical.GetProperty("inCall").EnumerateArray());
    }

    [Fact]
    public async Task Records_FilterByTownshipAndExpert_AndReportTheTotalForPaging()
    {
        await using var hub = HubFactory.With([]);
        var admin = await hub.LoginAsync();

        // Nobody does agriculture: every request becomes a call-back record at once.
        await RequestAsync(admin, SampleDistrict.KioskOfVillage1Of1, "agriculture");
        await RequestAsync(admin, SampleDistrict.Township1Centre, "agriculture");
        await RequestAsync(admin, SampleDistrict.KioskOfVillage1Of2, "agriculture");

        var page = await admin.GetAsync($"/api/consultations?orgUnitId={SampleDistrict.Township1}&limit=1");
        var rows = await page.JsonAsync();
        var byExpert = await admin.GetJsonAsync($"/api/consultations?expertId={Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("2", Assert.Single(page.Headers.GetValues("X-Total-Count")));
        Assert.Equal(1, rows.GetArrayLength());
        Assert.Equal(0, byExpert.GetArrayLength());
    }

    [Fact]
    public async Task Stats_CountEachRating()
    {
        await using var hub = HubFactory.With([]);
        var admin = await hub.LoginAsync();
        var expert = await ExpertAsync(hub, admin, SampleDistrict.HealthStation1);
        var ticket = await RequestAsync(admin, SampleDistrict.KioskOfVillage1Of1);
        var id = ticket.GetProperty("id").GetGuid();
        await OfferAsync(expert, id);
        await AcceptAsync(expert, id);
        Assert.Equal(HttpStatusCode.OK, (await expert.Http.PostJsonAsync($"/api/consultations/{id}/end", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostJsonAsync($"/api/consultations/{id}/rating", new { rating = "一般" })).StatusCode);

        var stats = await admin.GetJsonAsync("/api/consultations/stats");

        var ratings = stats.GetProperty("ratings");
        Assert.Equal(0, ratings.GetProperty("满意").GetInt32());
        Assert.Equal(1, ratings.GetProperty("一般").GetInt32());
        Assert.Equal(0, ratings.GetProperty("不满意").GetInt32());
    }
}
