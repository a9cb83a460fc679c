using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using VideoLink.Hub.Storage.Entities;
using VideoLink.Hub.Tests.Infrastructure;
using static VideoLink.Hub.Tests.Consultations.ConsultationClients;

namespace VideoLink.Hub.Tests.Consultations;

/// <summary>A hub restarted on the same data folder keeps its queues: waiting requests keep their order, the interrupted ring is re-offered.</summary>
[Collection(ConsultationCollection.Name)]
public sealed class ConsultationRestartTests
{
    [Fact]
    public async Task Restart_OnTheSameDataFolder_QueueSurvives_AndTheRingingRequestIsOfferedAgain()
    {
        var data = Path.Combine(Path.GetTempPath(), "videolink-restart-" + Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?> { ["VideoLink:DataDirectory"] = data, ["Consultations:RingSeconds"] = "120" };
        var kioskSite = SampleDistrict.KioskOfVillage1Of1;
        string kioskToken, expertUser;
        var ids = new List<Guid>();
        try
        {
            await using (var before = HubFactory.With(settings))
            {
                var admin = await before.LoginAsync();
                var expert = await ExpertAsync(before, admin, SampleDistrict.HealthStation1);
                expertUser = expert.Username;
                var kiosk = await KioskAsync(before, admin, kioskSite);
                kioskToken = kiosk.Token;
                for (var i = 0; i < 3; i++)
                {
                    ids.Add((await RequestAsync(kiosk.Http, kioskSite)).GetProperty("id").GetGuid());
                }

                await OfferAsync(expert, ids[0]);
            }

            await using var after = HubFactory.With(settings);
            var expertAgain = await after.LoginAsync(expertUser, "Expert-pass1");
            var kioskAgain = after.CreateClient();
            kioskAgain.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", kioskToken);
            var me = await expertAgain.GetJsonAsync("/api/experts/me");
            var client = new ExpertClient(expertAgain, me.GetProperty("id").GetGuid(), me.GetProperty("userId").GetGuid(), "", expertUser);

            var reoffered = await OfferAsync(client, ids[0]);
            var second = await kioskAgain.GetJsonAsync($"/api/consultations/{ids[1]}");
            var third = await kioskAgain.GetJsonAsync($"/api/consultations/{ids[2]}");
            await AcceptAsync(client, ids[0]);
            await expertAgain.PostJsonAsync($"/api/consultations/{ids[0]}/end", new { });
            var next = await OfferAsync(client);

            Assert.Equal("Available", me.GetProperty("presence").GetString());
            Assert.Equal(ids[0], reoffered.GetProperty("id").GetGuid());
            Assert.Equal(2, second.GetProperty("position").GetInt32());
            Assert.Equal(3, third.GetProperty("position").GetInt32());
            Assert.Equal(ids[1], next.GetProperty("id").GetGuid());
            var offers = await after.WithDatabaseAsync(db => db.ConsultationOffers.Where(o => o.ConsultationId == ids[0]).OrderBy(o => o.OfferedUtc).Select(o => o.Response).ToListAsync());
            Assert.Equal([OfferResponse.Withdrawn, OfferResponse.Accepted], offers);
        }
        finally
        {
            try
            {
                System.IO.Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
                // A log file may still be closing.
            }
        }
    }
}
