using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VideoLink.Hub.Consultations;
using VideoLink.Hub.Security;
using VideoLink.Hub.Seeding;
using VideoLink.Hub.Storage.Entities;
using VideoLink.Hub.Tests.Infrastructure;
using static VideoLink.Hub.Tests.Consultations.ConsultationClients;

namespace VideoLink.Hub.Tests.Consultations;

/// <summary>
/// A consultation's life through the real hub's API: request, ring, accept, end, rate; decline and ring-out passing to
/// the next expert; call-backs (回访); cancel; transfer; invite; bad input. Each test gets its own hub, so experts left
/// available by one test never answer another's requests.
/// </summary>
[Collection(ConsultationCollection.Name)]
public sealed class ConsultationFlowTests
{
    private static readonly Guid Kiosk = SampleDistrict.KioskOfVillage1Of1;
    private static readonly Guid LegalStation = StableIds.For("site", "es-09");

    private static HubFactory NewHub(int ringSeconds = 30) =>
        HubFactory.With(new() { ["Consultations:RingSeconds"] = ringSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Consultations:PositionPushMilliseconds"] = "100" });

    [Fact]
    public async Task RungExpert_SeesTheVillagesSiteAndTownship_AndColleaguesToHandTo_OthersDoNot()
    {
        await using var hub = NewHub();
        var admin = await hub.LoginAsync();
        var expert = await ExpertAsync(hub, admin, SampleDistrict.HealthStation1);
        var colleague = await ExpertAsync(hub, admin, SampleDistrict.HealthStation1, "Away");
        var (kiosk, _) = await KioskAsync(hub, admin, Kiosk);
        var (otherKiosk, _) = await KioskAsync(hub, admin, SampleDistrict.KioskOfVillage2Of1);

        var id = (await RequestAsync(kiosk, Kiosk)).GetProperty("id").GetGuid();
        await OfferAsync(expert, id);
        var site = await expert.Http.GetJsonAsync($"/api/consultations/{id}/site");
        var bystander = await colleague.Http.GetAsync($"/api/consultations/{id}/site").WaitAsync(TestTimeouts.Request);
        var foreignKiosk = await otherKiosk.GetAsync($"/api/consultations/{id}/site").WaitAsync(TestTimeouts.Request);
        var colleagues = await expert.Http.GetJsonAsync("/api/experts/me/colleagues");

        Assert.Equal(Kiosk, site.GetProperty("siteId").GetGuid());
        Assert.Equal("陈寨社区服务面对面终端", site.GetProperty("siteName").GetString());
        Assert.Equal("东城街道", site.GetProperty("township").GetString());
        Assert.Equal(HttpStatusCode.NotFound, bystander.StatusCode); // not rung, not in the call
        Assert.Equal(HttpStatusCode.NotFound, foreignKiosk.StatusCode);
        var listed = colleagues.EnumerateArray().ToList();
        Assert.DoesNotContain(listed, c => c.GetProperty("id").GetGuid() == expert.Id);
        var entry = Assert.Single(listed, c => c.GetProperty("id").GetGuid() == colleague.Id);
        Assert.Equal("Away", entry.GetProperty("presence").GetString());
        Assert.False(entry.GetProperty("free").GetBoolean());
    }

    [Fact]
    public async Task Request_AcceptedEndedAndRated_RecordShowsWaitTalkNotesAndRating()
    {
        await using var hub = NewHub();
        var admin = await hub.LoginAsync();
        var expert = await ExpertAsync(hub, admin, SampleDistrict.HealthStation1);
        var (kiosk, _) = await KioskAsync(hub, admin, Kiosk);

        var ticket = await RequestAsync(kiosk, Kiosk);
        var id = ticket.GetProperty("id").GetGuid();
        var offer = await OfferAsync(expert, id);
        var roomId = await AcceptAsync(expert, id);
        var inCall = await kiosk.GetJsonAsync($"/api/consultations/{id}");
        var notes = await expert.Http.PostJsonAsync($"/api/consultations/{id}/notes", new { text = "血压偏高，建议复查" });
        await Task.Delay(300); // some talk time, so the record's talk duration is measurable
        var ended = await expert.Http.PostJsonAsync($"/api/consultations/{id}/end", new { });
        var rated = await kiosk.PostJsonAsync($"/api/consultations/{id}/rating", new { rating = "满意" });
        var record = await admin.GetJsonAsync($"/api/consultations/{id}");

        Assert.Equal("Queued", ticket.GetProperty("status").GetString());
        Assert.Equal(1, ticket.GetProperty("position").GetInt32());
        Assert.True(ticket.TryGetProperty("estimatedWaitSeconds", out _));
        Assert.Equal("medical", offer.GetProperty("category").GetString());
        Assert.Equal("InCall", inCall.GetProperty("status").GetString());
        Assert.Equal(roomId, inCall.GetProperty("roomId").GetGuid());
        Assert.Equal(HttpStatusCode.OK, notes.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.Equal(HttpStatusCode.OK, rated.StatusCode);
        Assert.Equal("Closed", record.GetProperty("status").GetString());
        Assert.Equal("Answered", record.GetProperty("outcome").GetString());
        Assert.Equal(expert.Id, record.GetProperty("expertId").GetGuid());
        Assert.Equal(SampleDistrict.HealthStation1, record.GetProperty("stationSiteId").GetGuid());
        Assert.Equal("满意", record.GetProperty("rating").GetString());
        Assert.Contains("血压偏高", record.GetProperty("notes").GetString(), StringComparison.Ordinal);
        Assert.InRange(record.GetProperty("talkSeconds").GetDouble(), 0.3, 30);
        Assert.InRange(record.GetProperty("waitSeconds").GetDouble(), 0, 30);
        var room = await hub.WithDatabaseAsync(db => db.Rooms.SingleAsync(r => r.Id == roomId));
        Assert.NotNull(room.ClosedUtc);
        Assert.Equal("Available", (await expert.Http.GetJsonAsync("/api/experts/me")).GetProperty("presence").GetString());
    }

    [Fact]
    public async Task Decline_PassesToTheNextExpert_AndWhenEveryoneDeclined_BecomesACallbackStaffClose()
    {
        await using var hub = NewHub();
        var admin = await hub.LoginAsync();
        var first = await ExpertAsync(hub, admin, SampleDistrict.HealthStation1);
        var second = await ExpertAsync(hub, admin, SampleDistrict.HealthStation2);
        var (kiosk, _) = await KioskAsync(hub, admin, Kiosk);

        var id = (await RequestAsync(kiosk, Kiosk)).GetProperty("id").GetGuid();
        await OfferAsync(first, id); // the first created has been idle longest
        Assert.Equal(HttpStatusCode.OK, (await first.Http.PostJsonAsync($"/api/consultations/{id}/decline", new { })).StatusCode);
        await OfferAsync(second, id);
        var lateAccept = await first.Http.PostJsonAsync($"/api/consultations/{id}/accept", new { });
        Assert.Equal(HttpStatusCode.OK, (await second.Http.PostJsonAsync($"/api/consultations/{id}/decline", new { })).StatusCode);
        var record = await UntilAsync(admin, $"/api/consultations/{id}", r => r.GetProperty("status").GetString() == "Closed");
        var open = await admin.GetJsonAsync("/api/consultations?callbackOpen=true");
        var closed = await admin.PostJsonAsync($"/api/consultations/{id}/callback/close", new { note = "已电话回访" });
        var closedAgain = await admin.PostJsonAsync($"/api/consultations/{id}/callback/close", new { });
        var stillOpen = await admin.GetJsonAsync("/api/consultations?callbackOpen=true");

        Assert.Equal(HttpStatusCode.Conflict, lateAccept.StatusCode);
        Assert.Equal("Callback", record.GetProperty("outcome").GetString());
        Assert.Contains(open.EnumerateArray(), r => r.GetProperty("id").GetGuid() == id);
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, closedAgain.StatusCode);
        Assert.DoesNotContain(stillOpen.EnumerateArray(), r => r.GetProperty("id").GetGuid() == id);
        var offers = await hub.WithDatabaseAsync(db => db.ConsultationOffers.Where(o => o.ConsultationId == id).OrderBy(o => o.OfferedUtc).ToListAsync());
        Assert.Equal([first.Id, second.Id], offers.Select(o => o.ExpertId));
        Assert.All(offers, o => Assert.Equal(OfferResponse.Declined, o.Response));
    }

    [Fact]
    public async Task NoAnswer_WithinTheRingTime_PassesToTheNextExpert()
    {
        await using var hub = NewHub(ringSeconds: 1);
        var admin = await hub.LoginAsync();
        var sleeper = await ExpertAsync(hub, admin, SampleDistrict.HealthStation1);
        var awake = await ExpertAsync(hub, admin, SampleDistrict.HealthStation2);
        var (kiosk, _) = await KioskAsync(hub, admin, Kiosk);

        var id = (await RequestAsync(kiosk, Kiosk)).GetProperty("id").GetGuid();
        await OfferAsync(sleeper, id);
        await OfferAsync(awake, id);
        await AcceptAsync(awake, id);

        var offers = await hub.WithDatabaseAsync(db => db.ConsultationOffers.Where(o => o.ConsultationId == id).OrderBy(o => o.OfferedUtc).ToListAsync());
        Assert.Equal(OfferResponse.NoAnswer, offers[0].Response);
        Assert.InRange((offers[0].RespondedUtc!.Value - offers[0].OfferedUtc).TotalSeconds, 0.9, 10);
        Assert.Equal(OfferResponse.Accepted, offers[1].Response);
    }

    [Fact]
    public async Task NoExpertOnDuty_IsACallbackRequestAtOnce()
    {
        await using var hub = NewHub();
        var admin = await hub.LoginAsync();
        var (kiosk, _) = await KioskAsync(hub, admin, Kiosk);

        var ticket = await RequestAsync(kiosk, Kiosk, "legal");

        Assert.Equal("Callback", ticket.GetProperty("status").GetString());
        var record = await kiosk.GetJsonAsync($"/api/consultations/{ticket.GetProperty("id").GetGuid()}");
        Assert.Equal("Callback", record.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Cancel_WhileQueued_IsAbandoned_AndTheQueueBehindMovesUp()
    {
        await using var hub = NewHub();
        var admin = await hub.LoginAsync();
        var expert = await ExpertAsync(hub, admin, SampleDistrict.HealthStation1);
        var (kiosk1, _) = await KioskAsync(hub, admin, Kiosk);
        var (kiosk2, _) = await KioskAsync(hub, admin, SampleDistrict.KioskOfVillage2Of1);
        var (kiosk3, _) = await KioskAsync(hub, admin, SampleDistrict.KioskOfVillage1Of2);

        var a = (await RequestAsync(kiosk1, Kiosk)).GetProperty("id").GetGuid();
        var b = await RequestAsync(kiosk2, SampleDistrict.KioskOfVillage2Of1);
        var c = await RequestAsync(kiosk3, SampleDistrict.KioskOfVillage1Of2);
        await OfferAsync(expert, a);
        var foreignCancel = await kiosk1.PostJsonAsync($"/api/consultations/{b.GetProperty("id").GetGuid()}/cancel", new { });
        var cancel = await kiosk2.PostJsonAsync($"/api/consultations/{b.GetProperty("id").GetGuid()}/cancel", new { });
        var moved = await UntilAsync(kiosk3, $"/api/consultations/{c.GetProperty("id").GetGuid()}", r => r.GetProperty("position").GetInt32() == 2);
        var abandoned = await admin.GetJsonAsync($"/api/consultations/{b.GetProperty("id").GetGuid()}");

        Assert.Equal(2, b.GetProperty("position").GetInt32());
        Assert.Equal(3, c.GetProperty("position").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, foreignCancel.StatusCode);
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("Abandoned", abandoned.GetProperty("outcome").GetString());
        Assert.Equal("Queued", moved.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Transfer_ToAnotherCategory_AnExpertThereAnswersInTheSameRoom()
    {
        await using var hub = NewHub();
        var admin = await hub.LoginAsync();
        var doctor = await ExpertAsync(hub, admin, SampleDistrict.HealthStation1);
        var lawyer = await ExpertAsync(hub, admin, LegalStation, "Available", "legal");
        var (kiosk, _) = await KioskAsync(hub, admin, Kiosk);

        var id = (await RequestAsync(kiosk, Kiosk)).GetProperty("id").GetGuid();
        await OfferAsync(doctor, id);
        var room = await AcceptAsync(doctor, id);
        var bad = await doctor.Http.PostJsonAsync($"/api/consultations/{id}/transfer", new { category = "legal", expertId = lawyer.Id });
        var transfer = await doctor.Http.PostJsonAsync($"/api/consultations/{id}/transfer", new { category = "legal" });
        Assert.True(transfer.StatusCode == HttpStatusCode.OK, await transfer.Content.ReadAsStringAsync());
        await OfferAsync(lawyer, id);
        var sameRoom = await AcceptAsync(lawyer, id);
        var record = await admin.GetJsonAsync($"/api/consultations/{id}");

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.OK, transfer.StatusCode);
        Assert.Equal(room, sameRoom);
        Assert.Equal("legal", record.GetProperty("category").GetString());
        Assert.Equal(lawyer.Id, record.GetProperty("expertId").GetGuid());
        Assert.Equal("Available", (await doctor.Http.GetJsonAsync("/api/experts/me")).GetProperty("presence").GetString());
    }

    [Fact]
    public async Task Invite_LetsTheSpecialistIntoTheRoom_AndNobodyElse()
    {
        await using var hub = NewHub();
        var admin = await hub.LoginAsync();
        var doctor = await ExpertAsync(hub, admin, SampleDistrict.HealthStation1);
        var specialist = await ExpertAsync(hub, admin, SampleDistrict.HealthStation2, "Busy");
        var stranger = await ExpertAsync(hub, admin, LegalStation, "Away", "legal");
        var (kiosk, _) = await KioskAsync(hub, admin, Kiosk);

        var id = (await RequestAsync(kiosk, Kiosk)).GetProperty("id").GetGuid();
        await OfferAsync(doctor, id);
        var room = await AcceptAsync(doctor, id);
        var invited = await doctor.Http.PostJsonAsync($"/api/consultations/{id}/invite", new { expertId = specialist.Id });
        var specialistSees = await specialist.Http.GetAsync($"/api/consultations/{id}");
        var strangerSees = await stranger.Http.GetAsync($"/api/consultations/{id}");
        // Joining with a malformed offer: the invited specialist reaches the room (400 about the SDP), the stranger does not (404).
        var specialistJoins = await specialist.Http.PostAsync($"/whip/{room}", new StringContent("not sdp", Encoding.UTF8, new MediaTypeHeaderValue("application/sdp")));
        var strangerJoins = await stranger.Http.PostAsync($"/whip/{room}", new StringContent("not sdp", Encoding.UTF8, new MediaTypeHeaderValue("application/sdp")));
        var kioskJoins = await kiosk.PostAsync($"/whip/{room}", new StringContent("not sdp", Encoding.UTF8, new MediaTypeHeaderValue("application/sdp")));

        Assert.Equal(HttpStatusCode.OK, invited.StatusCode);
        Assert.Equal(HttpStatusCode.OK, specialistSees.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, strangerSees.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, specialistJoins.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, strangerJoins.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, kioskJoins.StatusCode);
        Assert.Contains(specialist.Id, (await admin.GetJsonAsync($"/api/consultations/{id}")).GetProperty("invitedExpertIds").EnumerateArray().Select(e => e.GetGuid()));
    }

    [Fact]
    public async Task BadInput_IsA400NamingTheField_AndAKioskStaysInItsLane()
    {
        await using var hub = NewHub();
        var admin = await hub.LoginAsync();
        var expert = await ExpertAsync(hub, admin, SampleDistrict.HealthStation1);
        var (kiosk, _) = await KioskAsync(hub, admin, Kiosk);

        async Task<(HttpStatusCode, string)> Post(HttpClient c, string url, object body)
        {
            var r = await c.PostJsonAsync(url, body);
            return (r.StatusCode, await r.Content.ReadAsStringAsync());
        }

        var cases = new List<(HttpStatusCode Status, string Body, string Field)>();
        void Add((HttpStatusCode, string) r, string field) => cases.Add((r.Item1, r.Item2, field));
        Add(await Post(kiosk, "/api/consultations", new { siteId = Kiosk, category = "astrology" }), "category");
        Add(await Post(kiosk, "/api/consultations", new { category = "medical" }), "siteId");
        Add(await Post(kiosk, "/api/consultations", new { siteId = Kiosk, category = "medical", idNumber = "110105199001011230" }), "idNumber");
        Add(await Post(kiosk, "/api/consultations", new { siteId = Kiosk, category = "medical", icCard = "ab" }), "icCard");
        Add(await Post(admin, "/api/consultations", new { siteId = SampleDistrict.HealthStation1, category = "medical" }), "siteId");
        Add(await Post(admin, "/api/experts", new { username = "x1", password = "Expert-pass1", displayName = "x", siteId = Kiosk, categories = new[] { "medical" } }), "siteId");
        Add(await Post(admin, "/api/experts", new { username = "x2", password = "Expert-pass1", displayName = "x", siteId = LegalStation, categories = new[] { "medical" } }), "categories");
        Add(await Post(admin, "/api/experts", new { username = "x3", displayName = "x", siteId = SampleDistrict.HealthStation1, categories = new[] { "medical" } }), "password");
        var presence = await expert.Http.PutJsonAsync("/api/experts/me/presence", new { status = "Sleeping" });
        cases.Add((presence.StatusCode, await presence.Content.ReadAsStringAsync(), "status"));
        Add(await Post(kiosk, $"/api/consultations/{Guid.NewGuid()}/rating", new { rating = "很好" }), "rating");
        Add(await Post(expert.Http, $"/api/consultations/{Guid.NewGuid()}/transfer", new { }), "category");
        var unknownMember = await kiosk.PostAsync("/api/consultations", new StringContent("{\"siteId\":\"" + Kiosk + "\",\"category\":\"medical\",\"x\":1}", Encoding.UTF8, "application/json"));
        var otherSite = await kiosk.PostJsonAsync("/api/consultations", new { siteId = SampleDistrict.KioskOfVillage2Of1, category = "medical" });
        var kioskReadsDirectory = await kiosk.GetAsync("/api/sites");
        var kioskAccepts = await kiosk.PostJsonAsync($"/api/consultations/{Guid.NewGuid()}/accept", new { });
        var kioskMintsToken = await kiosk.PostJsonAsync($"/api/sites/{Kiosk}/kiosk-token", new { });
        var forged = hub.CreateClient();
        forged.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "vk1." + Guid.NewGuid().ToString("N") + ".nope");

        Assert.All(cases, c =>
        {
            Assert.True(c.Status == HttpStatusCode.BadRequest, $"{c.Field}: {(int)c.Status} {c.Body}");
            Assert.Contains($"\"{c.Field}\"", c.Body, StringComparison.Ordinal);
        });
        Assert.Equal(HttpStatusCode.BadRequest, unknownMember.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherSite.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, kioskReadsDirectory.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, kioskAccepts.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, kioskMintsToken.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.PostJsonAsync("/api/consultations", new { siteId = Kiosk, category = "medical" })).StatusCode);
    }

    [Fact]
    public async Task IdCardIdentity_IsStoredOnlyMaskedAndHashed()
    {
        await using var hub = NewHub();
        var admin = await hub.LoginAsync();
        await ExpertAsync(hub, admin, SampleDistrict.HealthStation1);
        var (kiosk, _) = await KioskAsync(hub, admin, Kiosk);
        var idNumber = ResidentId("41140319800101123");

        var response = await kiosk.PostJsonAsync("/api/consultations", new { siteId = Kiosk, category = "medical", idNumber });
        var id = (await response.JsonAsync()).GetProperty("id").GetGuid();
        var record = await admin.GetJsonAsync($"/api/consultations/{id}");
        var row = await hub.WithDatabaseAsync(db => db.Consultations.SingleAsync(c => c.Id == id));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(PersonalData.MaskIdNumber(idNumber), record.GetProperty("personMasked").GetString());
        Assert.Equal(hub.Services.GetRequiredService<PersonalData>().HashIdNumber(idNumber), row.PersonHash);
        Assert.DoesNotContain(idNumber, record.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeskCallButton_RaisesARequest_WithTheCardSwipedJustBefore_AndTheSatisfactionKeysRateIt()
    {
        await using var hub = NewHub();
        var admin = await hub.LoginAsync();
        var expert = await ExpertAsync(hub, admin, SampleDistrict.HealthStation1, "Available", "medical");
        var desk = hub.Services.GetRequiredService<ConsultationDesk>();
        var now = DateTime.UtcNow;
        var swipe = new CheckIn { Id = Guid.NewGuid(), SiteId = Kiosk, DeviceCode = "idcard", Method = CheckInMethod.IdCard, PersonHash = new string('a', 64), PersonMasked = "4114**********1234", DeviceTimeUtc = now.AddSeconds(-20), ReceivedUtc = now, OrgPath = "" };
        await hub.WithDatabaseAsync(async db =>
        {
            swipe.OrgPath = (await db.Sites.SingleAsync(s => s.Id == Kiosk)).OrgPath;
            db.CheckIns.Add(swipe);
            // This kiosk's button is set up for medical consultations.
            var button = await db.Devices.SingleAsync(d => d.SiteId == Kiosk && d.Code == "callbtn");
            button.OptionsJson = "{\"category\":\"medical\"}";
            return await db.SaveChangesAsync();
        });

        await desk.OnJournalAsync(Kiosk, [new CheckIn { Id = Guid.NewGuid(), SiteId = Kiosk, DeviceCode = "callbtn", Method = CheckInMethod.Button, Detail = "KEY_ENTER", DeviceTimeUtc = now, ReceivedUtc = now, OrgPath = swipe.OrgPath }], CancellationToken.None);
        var offer = await OfferAsync(expert);
        var id = offer.GetProperty("id").GetGuid();
        await AcceptAsync(expert, id);
        Assert.Equal(HttpStatusCode.OK, (await expert.Http.PostJsonAsync($"/api/consultations/{id}/end", new { })).StatusCode);
        await desk.OnJournalAsync(Kiosk, [new CheckIn { Id = Guid.NewGuid(), SiteId = Kiosk, DeviceCode = "rating", Method = CheckInMethod.Rating, Detail = "不满意", DeviceTimeUtc = DateTime.UtcNow, ReceivedUtc = DateTime.UtcNow, OrgPath = swipe.OrgPath }], CancellationToken.None);
        var record = await admin.GetJsonAsync($"/api/consultations/{id}");

        Assert.Equal("DeskButton", record.GetProperty("source").GetString());
        Assert.Equal("medical", record.GetProperty("category").GetString());
        Assert.Equal("4114**********1234", record.GetProperty("personMasked").GetString());
        Assert.Equal("不满意", record.GetProperty("rating").GetString());
    }

    [Fact]
    public async Task Stats_CountPerCategoryStationAndTownship_WithAnswerRateWaitAndSatisfaction()
    {
        await using var hub = NewHub();
        var admin = await hub.LoginAsync();
        var expert = await ExpertAsync(hub, admin, SampleDistrict.HealthStation1);
        var (kiosk, _) = await KioskAsync(hub, admin, Kiosk);
        for (var i = 0; i < 3; i++)
        {
            var id = (await RequestAsync(kiosk, Kiosk)).GetProperty("id").GetGuid();
            await OfferAsync(expert, id);
            await AcceptAsync(expert, id);
            Assert.Equal(HttpStatusCode.OK, (await kiosk.PostJsonAsync($"/api/consultations/{id}/end", new { })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await kiosk.PostJsonAsync($"/api/consultations/{id}/rating", new { rating = i == 0 ? "一般" : "满意" })).StatusCode);
        }

        await RequestAsync(kiosk, Kiosk, "legal"); // call-back: nobody legal on duty

        var stats = await admin.GetJsonAsync("/api/consultations/stats?period=month");
        var township = await admin.GetJsonAsync($"/api/consultations/stats?siteId={Kiosk}");
        var bad = await admin.GetAsync("/api/consultations/stats?period=year");
        var badOutcome = await admin.GetAsync("/api/consultations?outcome=Lost");

        Assert.Equal(4, stats.GetProperty("total").GetInt32());
        Assert.Equal(3, stats.GetProperty("answered").GetInt32());
        Assert.Equal(1, stats.GetProperty("callback").GetInt32());
        Assert.Equal(0.75, stats.GetProperty("answerRate").GetDouble());
        Assert.Equal(Math.Round(2 / 3.0, 4), stats.GetProperty("satisfactionRate").GetDouble());
        Assert.True(stats.GetProperty("p90WaitSeconds").GetDouble() >= stats.GetProperty("meanWaitSeconds").GetDouble() - 1e-9);
        var byCategory = stats.GetProperty("byCategory").EnumerateArray().ToDictionary(g => g.GetProperty("key").GetString()!, g => g.GetProperty("total").GetInt32());
        Assert.Equal(3, byCategory["medical"]);
        Assert.Equal(1, byCategory["legal"]);
        var station = Assert.Single(stats.GetProperty("byStation").EnumerateArray());
        Assert.Equal(SampleDistrict.HealthStation1.ToString(), station.GetProperty("key").GetString());
        Assert.Equal("东城街道", Assert.Single(township.GetProperty("byTownship").EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badOutcome.StatusCode);
    }
}
