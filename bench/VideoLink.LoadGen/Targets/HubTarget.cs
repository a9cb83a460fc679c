using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using VideoLink.LoadGen.Peers;

namespace VideoLink.LoadGen.Targets;

/// <summary>
/// The VideoLink hub: log in (<c>POST /api/auth/login</c>), create a room (<c>POST /api/rooms</c>), publish with WHIP
/// and play with WHEP (RFC 9725, <c>application/sdp</c>, bearer token); the room's DELETE ends every leg.
/// </summary>
internal sealed class HubTarget(HttpClient http, string password, int processId) : IConferenceTarget
{
    private string _roomId = string.Empty;

    public string Name => "VideoLink hub";

    public int ProcessId => processId;

    public bool IsFullIceAgent => false;

    public bool AcceptsSharedReceivers => true;

    public System.Net.IPAddress PeerAddress => System.Net.IPAddress.Loopback;

    public async Task OpenRoomAsync(CancellationToken cancellationToken)
    {
        if (http.DefaultRequestHeaders.Authorization is null)
        {
            using var login = await http.PostAsJsonAsync("/api/auth/login", new { username = "admin", password }, cancellationToken).ConfigureAwait(false);
            login.EnsureSuccessStatusCode();
            var token = (await login.Content.ReadFromJsonAsync<JsonObject>(cancellationToken).ConfigureAwait(false))!["token"]!.GetValue<string>();
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var created = await http.PostAsJsonAsync("/api/rooms", new { name = "loadgen " + DateTime.UtcNow.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) }, cancellationToken).ConfigureAwait(false);
        created.EnsureSuccessStatusCode();
        _roomId = (await created.Content.ReadFromJsonAsync<JsonObject>(cancellationToken).ConfigureAwait(false))!["id"]!.GetValue<string>();
    }

    public async Task PublishAsync(LoadPeer publisher, string offer, CancellationToken cancellationToken) =>
        publisher.Start(RemoteDescription.Parse(await PostSdpAsync($"/whip/{_roomId}", offer, publisher, cancellationToken).ConfigureAwait(false)));

    public async Task SubscribeAsync(LoadPeer receiver, CancellationToken cancellationToken)
    {
        var answer = await PostSdpAsync($"/whep/{_roomId}", SdpWriter.Offer(receiver, "recvonly"), receiver, cancellationToken).ConfigureAwait(false);
        receiver.Start(RemoteDescription.Parse(answer));
    }

    public async Task<long?> SendDropsAsync(CancellationToken cancellationToken)
    {
        var counters = await http.GetFromJsonAsync<JsonObject>("/api/system/counters", cancellationToken).ConfigureAwait(false);
        return counters?["media"]?["sendQueueFull"]?.GetValue<long>();
    }

    public async Task CloseRoomAsync(CancellationToken cancellationToken)
    {
        using var response = await http.DeleteAsync($"/api/rooms/{_roomId}", cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    private async Task<string> PostSdpAsync(string path, string offer, LoadPeer peer, CancellationToken cancellationToken)
    {
        using var content = new StringContent(offer, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/sdp");
        using var response = await http.PostAsync(path, content, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{path}: {(int)response.StatusCode} {body}");
        }

        peer.SessionTag = response.Headers.Location?.ToString();
        return body;
    }
}
