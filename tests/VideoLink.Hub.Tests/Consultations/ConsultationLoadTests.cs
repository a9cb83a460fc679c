using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using VideoLink.Hub.Seeding;
using VideoLink.Hub.Storage.Entities;
using VideoLink.Hub.Tests.Infrastructure;
using Xunit.Abstractions;
using static VideoLink.Hub.Tests.Consultations.ConsultationClients;

namespace VideoLink.Hub.Tests.Consultations;

/// <summary>
/// 300 kiosks ask for a doctor at once while 5 doctors are on duty. Checked against the durable offer log: no expert
/// is ever offered a call while ringing or talking, every request is answered, and requests are served in arrival order.
/// </summary>
[Collection(ConsultationCollection.Name)]
public sealed class ConsultationLoadTests(ITestOutputHelper output)
{
    private const int Requests = 300;
    private const int Doctors = 5;

    [Fact]
    public async Task Burst_Of300Requests_FiveDoctors_NoDoubleOffer_NoneLost_FifoKept()
    {
        await using var hub = HubFactory.With(new() { ["Consultations:RingSeconds"] = "60" });
        var admin = await hub.LoginAsync();
        var doctors = new List<ExpertClient>();
        for (var i = 1; i <= Doctors; i++)
        {
            doctors.Add(await ExpertAsync(hub, admin, StableIds.For("site", $"es-{i:D2}")));
        }

        var kioskSites = await hub.WithDatabaseAsync(db => db.Sites.Where(s => s.Kind == SiteKind.VillageKiosk).OrderBy(s => s.Code).Select(s => s.Id).ToListAsync());
        var kiosks = new List<(HttpClient Http, Guid Site)>();
        foreach (var site in kioskSites)
        {
            kiosks.Add(((await KioskAsync(hub, admin, site)).Http, site));
        }

        var clock = Stopwatch.StartNew();
        // One bound for the whole burst: on a loaded machine single requests may queue for a while, none may be lost.
        var responses = await Task.WhenAll(Enumerable.Range(0, Requests).Select(async i =>
        {
            var (http, site) = kiosks[i % kiosks.Count];
            return await http.PostAsJsonAsync("/api/consultations", new { siteId = site, category = "medical" });
        })).WaitAsync(TimeSpan.FromMinutes(3));
        var requested = clock.Elapsed;
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var tickets = new List<System.Text.Json.JsonElement>();
        foreach (var r in responses)
        {
            tickets.Add(await r.JsonAsync());
        }

        var positions = tickets.Select(t => t.GetProperty("position").GetInt32()).Order().ToList();
        Assert.Equal(Enumerable.Range(1, Requests), positions);

        // Each doctor answers whatever rings, talks briefly, hangs up and waits for the next one.
        var answered = 0;
        using var done = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await Task.WhenAll(doctors.Select(async doctor =>
        {
            while (Volatile.Read(ref answered) < Requests && !done.IsCancellationRequested)
            {
                var offers = await doctor.Http.GetJsonAsync("/api/experts/me/offers");
                Assert.True(offers.GetArrayLength() <= 1, $"expert {doctor.Id} holds {offers.GetArrayLength()} offers at once");
                if (offers.GetArrayLength() == 0)
                {
                    await Task.Delay(5);
                    continue;
                }

                var id = offers[0].GetProperty("id").GetGuid();
                await AcceptAsync(doctor, id);
                var end = await doctor.Http.PostJsonAsync($"/api/consultations/{id}/end", new { });
                Assert.Equal(HttpStatusCode.OK, end.StatusCode);
                Interlocked.Increment(ref answered);
            }
        }));
        output.WriteLine($"{Requests} requests accepted in {requested.TotalMilliseconds:F0} ms; all answered and ended after {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(Requests, answered);

        var rows = await hub.WithDatabaseAsync(db => db.Consultations.OrderBy(c => c.Sequence).ToListAsync());
        var offersLog = await hub.WithDatabaseAsync(db => db.ConsultationOffers.ToListAsync());
        Assert.Equal(Requests, rows.Count);
        Assert.Equal(tickets.Select(t => t.GetProperty("id").GetGuid()).Order(), rows.Select(r => r.Id).Order());
        Assert.All(rows, r => Assert.Equal(ConsultationOutcome.Answered, r.Outcome));
        Assert.Equal(Requests, offersLog.Count);
        Assert.All(offersLog, o => Assert.Equal(OfferResponse.Accepted, o.Response));

        // Never two at once: each offer of an expert starts after the previous offer's call has ended.
        var ended = rows.ToDictionary(r => r.Id, r => r.EndedUtc!.Value);
        foreach (var perExpert in offersLog.GroupBy(o => o.ExpertId))
        {
            var ordered = perExpert.OrderBy(o => o.OfferedUtc).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                Assert.True(ended[ordered[i - 1].ConsultationId] <= ordered[i].OfferedUtc,
                    $"expert {perExpert.Key} was offered {ordered[i].ConsultationId} at {ordered[i].OfferedUtc:O} while still in {ordered[i - 1].ConsultationId}");
            }
        }

        // FIFO: in arrival (sequence) order, each request was first offered no earlier than the one before it.
        for (var i = 1; i < rows.Count; i++)
        {
            Assert.True(rows[i - 1].OfferedUtc <= rows[i].OfferedUtc, $"sequence {rows[i].Sequence} was offered before {rows[i - 1].Sequence}");
        }

        Assert.All(doctors, d => Assert.InRange(offersLog.Count(o => o.ExpertId == d.Id), 20, 100));
        var waits = rows.Select(r => (r.AnsweredUtc!.Value - r.RequestedUtc).TotalSeconds).Order().ToList();
        output.WriteLine($"wait mean {waits.Average():F2} s, p90 {waits[(int)(waits.Count * 0.9) - 1]:F2} s, max {waits[^1]:F2} s; offers per doctor: {string.Join(", ", doctors.Select(d => offersLog.Count(o => o.ExpertId == d.Id)))}");
    }
}
