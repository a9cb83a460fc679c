using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VideoLink.Hub.Storage.Entities;
using VideoLink.Hub.Tests.Infrastructure;
using VideoLink.Sip;
using VideoLink.Sip.Tests.Infrastructure;
using Xunit.Abstractions;
using static VideoLink.Hub.Tests.Consultations.ConsultationClients;
using static VideoLink.Hub.Tests.Conference.RoomApi;

namespace VideoLink.Hub.Tests.Consultations;

/// <summary>
/// A doctor on the roster who has no login answers on the station's SIP video phone (视频话机): the hub rings that phone
/// (baresip here), the answered call is the expert's leg of the consultation room, and putting the phone down ends
/// the consultation. A phone nobody answers is treated like an offer that rang out.
/// </summary>
public sealed class StationPhoneExpertTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(40);

    private static async Task<(HubFactory Hub, HttpClient Admin, int SipPort, Guid ExpertId)> HubWithRosterExpertAsync(string ringSeconds)
    {
        var hub = HubFactory.With(new Dictionary<string, string?> { ["Consultations:RingSeconds"] = ringSeconds });
        var admin = await hub.LoginAsync();
        var created = await admin.PostJsonAsync("/api/experts", new { displayName = "值班医生", siteId = SampleDistrict.HealthStation1, categories = new[] { "medical" } });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var expert = await created.JsonAsync();
        Assert.Equal(JsonValueKind.Null, expert.GetProperty("userId").ValueKind);
        _ = hub.Server;
        return (hub, admin, hub.Services.GetRequiredService<SipServer>().UdpEndPoint!.Port, expert.GetProperty("id").GetGuid());
    }

    private static async Task WaitRegisteredAsync(HubFactory hub, Baresip phone, string user)
    {
        var sip = hub.Services.GetRequiredService<SipServer>();
        var deadline = DateTime.UtcNow + Timeout;
        while (!sip.IsOnline(user) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.True(sip.IsOnline(user), "baresip did not register: " + phone.Output);
    }

    [Fact]
    public async Task RosterOnlyExpert_IsRungOnTheStationPhone_AnswersThere_AndHangingUpEndsTheConsultation()
    {
        var (hub, admin, sipPort, expertId) = await HubWithRosterExpertAsync("30");
        await using var _ = hub;
        await using var phone = Baresip.Start(sipPort, "8601", "Sample-8601", TimeSpan.FromSeconds(90), ";answermode=auto");
        await WaitRegisteredAsync(hub, phone, "8601");
        var stationExperts = await hub.WithDatabaseAsync(db => db.Experts.Where(e => e.StationSiteId == SampleDistrict.HealthStation1 && e.UserId == null).Select(e => e.Id).ToListAsync());
        Assert.Contains(expertId, stationExperts);

        var (kiosk, _) = await KioskAsync(hub, admin, SampleDistrict.KioskOfVillage1Of1);
        var requested = Environment.TickCount64;
        var id = (await RequestAsync(kiosk, SampleDistrict.KioskOfVillage1Of1)).GetProperty("id").GetGuid();

        var inCall = await UntilAsync(kiosk, $"/api/consultations/{id}", c => c.GetProperty("status").GetString() == "InCall" && c.GetProperty("roomId").ValueKind == JsonValueKind.String, "the station phone answering", Timeout);
        output.WriteLine($"answered on the station phone {Environment.TickCount64 - requested} ms after the request");
        var roomId = inCall.GetProperty("roomId").GetGuid();
        var phoneEndpoint = await hub.WithDatabaseAsync(db => db.Endpoints.Where(e => e.SipUser == "8601").Select(e => e.Id).SingleAsync());
        var room = await UntilAsync(admin, $"/api/rooms/{roomId}", r => r.GetProperty("legs").GetArrayLength() == 1, "the phone's leg in the room", Timeout);
        Assert.Equal("Sip", room.GetProperty("legs")[0].GetProperty("kind").GetString());
        Assert.Equal(phoneEndpoint, room.GetProperty("legs")[0].GetProperty("endpointId").GetGuid());

        // The doctor puts the phone down: the consultation is over, answered, with the station's expert on record.
        await phone.HangUpAsync();
        var closed = await UntilAsync(admin, $"/api/consultations/{id}", c => c.GetProperty("status").GetString() == "Closed", "the consultation ending with the call", Timeout);
        Assert.Equal("Answered", closed.GetProperty("outcome").GetString());
        var record = await hub.WithDatabaseAsync(db => db.Consultations.SingleAsync(c => c.Id == id));
        Assert.Contains(record.ExpertId!.Value, stationExperts);
        Assert.Equal(SampleDistrict.HealthStation1, record.StationSiteId);
        Assert.NotNull(record.AnsweredUtc);
        Assert.NotNull(await hub.WithDatabaseAsync(db => db.Rooms.Where(r => r.Id == roomId).Select(r => r.ClosedUtc).SingleAsync()));
    }

    [Fact]
    public async Task StationPhoneNobodyAnswers_RingsOut_AndWithNobodyElseTheRequestBecomesACallBack()
    {
        var (hub, admin, sipPort, expertId) = await HubWithRosterExpertAsync("3");
        await using var _ = hub;
        await using var phone = Baresip.Start(sipPort, "8601", "Sample-8601", TimeSpan.FromSeconds(90), ";answermode=manual");
        await WaitRegisteredAsync(hub, phone, "8601");

        var (kiosk, _) = await KioskAsync(hub, admin, SampleDistrict.KioskOfVillage1Of1);
        var id = (await RequestAsync(kiosk, SampleDistrict.KioskOfVillage1Of1)).GetProperty("id").GetGuid();

        var closed = await UntilAsync(admin, $"/api/consultations/{id}", c => c.GetProperty("status").GetString() == "Closed", "the request turning into a call-back", Timeout);
        Assert.Equal("Callback", closed.GetProperty("outcome").GetString());
        var offers = await hub.WithDatabaseAsync(db => db.ConsultationOffers.Where(o => o.ConsultationId == id).ToListAsync());
        output.WriteLine("offers: " + string.Join(", ", offers.Select(o => $"{o.ExpertId:N} {o.Response}")));
        Assert.Single(offers); // the station's phone rang once, not once per roster expert who shares it
        Assert.Equal(OfferResponse.NoAnswer, offers[0].Response);
        Assert.Contains("8601", phone.Output, StringComparison.Ordinal);
    }
}
