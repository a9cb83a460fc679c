using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
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
    private const char RecordSeparator = '\u001e';

    private static async Task<WebSocket> ConnectAsync(HubFactory hub, string token)
    {
        var client = hub.Server.CreateWebSocketClient();
        var url = new Uri(hub.Server.BaseAddress, "/hubs/console?access_token=" + Uri.EscapeDataString(token));
        var ws = await client.ConnectAsync(new Uri("ws://" + url.Authority + url.PathAndQuery), CancellationToken.None).WaitAsync(TestTimeouts.Request);
        await ws.SendAsync(Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}" + RecordSeparator), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(TestTimeouts.Request);
        Assert.Equal("{}", (await ReceiveAsync(ws, _ => true)).GetRawText());
        return ws;
    }

    /// <summary>The next hub message matching <paramref name="match"/> (pings and other messages skipped).</summary>
    private static async Task<JsonElement> ReceiveAsync(WebSocket ws, Func<JsonElement, bool> match)
    {
        var buffer = new byte[64 * 1024];
        var pending = new StringBuilder();
        while (true)
        {
            var result = await ws.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(TestTimeouts.Request);
            pending.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
            var text = pending.ToString();
            var last = text.LastIndexOf(RecordSeparator);
            if (last < 0)
            {
                continue;
            }

            pending.Clear().Append(text[(last + 1)..]);
            foreach (var frame in text[..last].Split(RecordSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                var message = JsonDocument.Parse(frame).RootElement.Clone();
                if (!(message.TryGetProperty("type", out var type) && type.GetInt32() == 6) && match(message))
                {
                    return message;
                }
            }
        }
    }

    private static bool Is(JsonElement m, string target, Func<JsonElement, bool> argument) =>
        m.TryGetProperty("target", out var t) && t.GetString() == target && argument(m.GetProperty("arguments")[0]);

    [Fact]
    public async Task Kiosk_HearsItsPositionMoveAndTheCallConnect_ExpertHearsTheOffer()
    {
        await using var hub = HubFactory.With(new() { ["Consultations:PositionPushMilliseconds"] = "100" });
        var admin = await hub.LoginAsync();
        var expert = await ExpertAsync(hub, admin, SampleDistrict.HealthStation1);
        var (kiosk1, _) = await KioskAsync(hub, admin, SampleDistrict.KioskOfVillage1Of1);
        var (kiosk2, token2) = await KioskAsync(hub, admin, SampleDistrict.KioskOfVillage2Of1);
        using var expertSocket = await ConnectAsync(hub, expert.Token);
        using var kioskSocket = await ConnectAsync(hub, token2);

        var first = (await RequestAsync(kiosk1, SampleDistrict.KioskOfVillage1Of1)).GetProperty("id").GetGuid();
        var second = await RequestAsync(kiosk2, SampleDistrict.KioskOfVillage2Of1);
        var secondId = second.GetProperty("id").GetGuid();
        var offered = await ReceiveAsync(expertSocket, m => Is(m, "consultationOffered", a => a.GetProperty("id").GetGuid() == first));
        await AcceptAsync(expert, first);
        Assert.Equal(2, second.GetProperty("position").GetInt32());
        var moved = await ReceiveAsync(kioskSocket, m => Is(m, "consultationUpdated", a => a.GetProperty("id").GetGuid() == secondId && a.GetProperty("position").GetInt32() == 1));
        await expert.Http.PostJsonAsync($"/api/consultations/{first}/end", new { });
        var ringing = await ReceiveAsync(expertSocket, m => Is(m, "consultationOffered", a => a.GetProperty("id").GetGuid() == secondId));
        var room = await AcceptAsync(expert, secondId);
        var connected = await ReceiveAsync(kioskSocket, m => Is(m, "consultationUpdated", a => a.GetProperty("id").GetGuid() == secondId && a.GetProperty("status").GetString() == "InCall"));

        Assert.Equal("medical", offered.GetProperty("arguments")[0].GetProperty("category").GetString());
        Assert.Equal("Queued", moved.GetProperty("arguments")[0].GetProperty("status").GetString());
        Assert.Equal(SampleDistrict.KioskOfVillage2Of1, ringing.GetProperty("arguments")[0].GetProperty("siteId").GetGuid());
        Assert.Equal(room, connected.GetProperty("arguments")[0].GetProperty("roomId").GetGuid());
    }
}
