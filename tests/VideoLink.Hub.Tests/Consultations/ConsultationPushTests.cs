using VideoLink.Hub.Tests.Infrastructure;
using static VideoLink.Hub.Tests.Consultations.ConsultationClients;

namespace VideoLink.Hub.Tests.Consultations;

/// <summary>
/// Live pushes over <c>/hubs/console</c> (JSON hub protocol spoken raw): the kiosk hears its queue position move and its
/// call connect; the expert hears the offer ring.
/// </summary>
[Collection(ConsultationCollection.Name)]
public sealed class ConsultationPushTests
{
    [Fact]
    public async Task Kiosk_HearsItsPositionMoveAndTheCallConnect_ExpertHearsTheOffer()
    {
        await using var hub = HubFactory.With(new() { ["Consultations:PositionPushMilliseconds"] = "100" });
        var admin = await hub.LoginAsync();
        var expert = await ExpertAsync(hub, admin, SampleDistrict.HealthStation1);
        var (kiosk1, _) = await KioskAsync(hub, admin, SampleDistrict.KioskOfVillage1Of1);
        var (kiosk2, token2) = await KioskAsync(hub, admin, SampleDistrict.KioskOfVillage2Of1);
        await using var expertChannel = await ConsoleChannel.ConnectAsync(hub, expert.Token);
        await using var kioskChannel = await ConsoleChannel.ConnectAsync(hub, token2);

        var first = (await RequestAsync(kiosk1, SampleDistrict.KioskOfVillage1Of1)).GetProperty("id").GetGuid();
        var second = await RequestAsync(kiosk2, SampleDistrict.KioskOfVillage2Of1);
        var secondId = second.GetProperty("id").GetGuid();
        var offered = await expertChannel.NextAsync("consultationOffered", a => a.GetProperty("id").GetGuid() == first, TestTimeouts.Request);
        await AcceptAsync(expert, first);
        Assert.Equal(2, second.GetProperty("position").GetInt32());
        var moved = await kioskChannel.NextAsync("consultationUpdated", a => a.GetProperty("id").GetGuid() == secondId && a.GetProperty("position").GetInt32() == 1, TestTimeouts.Request);
        await expert.Http.PostJsonAsync($"/api/consultations/{first}/end", new { });
        var ringing = await expertChannel.NextAsync("consultationOffered", a => a.GetProperty("id").GetGuid() == secondId, TestTimeouts.Request);
        var room = await AcceptAsync(expert, secondId);
        var connected = await kioskChannel.NextAsync("consultationUpdated", a => a.GetProperty("id").GetGuid() == secondId && a.GetProperty("status").GetString() == "InCall", TestTimeouts.Request);

        Assert.Equal("medical", offered.GetProperty("category").GetString());
        Assert.Equal("Queued", moved.GetProperty("status").GetString());
        Assert.Equal(SampleDistrict.KioskOfVillage2Of1, ringing.GetProperty("siteId").GetGuid());
        Assert.Equal(room, connected.GetProperty("roomId").GetGuid());
    }
}
