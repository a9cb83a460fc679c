using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using VideoLink.Hub.Tests.Infrastructure;
using VideoLink.Media.Tests.Interop;
using Xunit.Abstractions;

namespace VideoLink.Hub.Tests.Rooms;

/// <summary>
/// WHIP and WHEP through the whole hub with real headless Chromium peers: page A publishes into a room over WHIP,
/// page B plays it over WHEP; B's own getStats() must show decoded video frames and audio energy.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class WhipWhepTests(ChromiumFixture chromium, HubFactory hub, ITestOutputHelper output) : IClassFixture<HubFactory>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly HubFactory _hub = hub;

    private static StringContent Sdp(string sdp) => new(sdp, Encoding.UTF8, new MediaTypeHeaderValue("application/sdp"));

    private async Task<(HttpClient Admin, JsonElement Room)> RoomAsync()
    {
        var admin = await _hub.LoginAsync();
        var created = await admin.PostJsonAsync("/api/rooms", new { name = "WHIP 测试会议" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (admin, await created.JsonAsync());
    }

    [Fact]
    public async Task ChromiumPublishesOverWhip_AnotherChromiumPlaysOverWhep_FramesDecodedAndAudioHeard()
    {
        var (admin, room) = await RoomAsync();
        var id = room.GetProperty("id").GetString();
        Assert.EndsWith($"/whip/{id}", room.GetProperty("whipUrl").GetString(), StringComparison.Ordinal);
        Assert.Matches("^9[0-9]{5}$", room.GetProperty("sipNumber").GetString()!);
        var publisherPage = await chromium.NewPageAsync();
        var viewerPage = await chromium.NewPageAsync();
        try
        {
            var whip = await admin.PostAsync($"/whip/{id}", Sdp(await publisherPage.EvaluateAsync<string>("() => window.publish()").WaitAsync(Timeout))).WaitAsync(Timeout);
            Assert.Equal(HttpStatusCode.Created, whip.StatusCode);
            Assert.Equal("application/sdp", whip.Content.Headers.ContentType?.MediaType);
            var whipLocation = whip.Headers.Location!.ToString();
            Assert.StartsWith($"/whip/{id}/", whipLocation, StringComparison.Ordinal);
            await publisherPage.EvaluateAsync("sdp => window.applyAnswer(sdp)", await whip.Content.ReadAsStringAsync()).WaitAsync(Timeout);

            var whep = await admin.PostAsync($"/whep/{id}", Sdp(await viewerPage.EvaluateAsync<string>("() => window.subscribe()").WaitAsync(Timeout))).WaitAsync(Timeout);
            Assert.Equal(HttpStatusCode.Created, whep.StatusCode);
            var whepLocation = whep.Headers.Location!.ToString();
            await viewerPage.EvaluateAsync("sdp => window.applyAnswer(sdp)", await whep.Content.ReadAsStringAsync()).WaitAsync(Timeout);

            double frames = 0, energy = 0;
            var deadline = DateTime.UtcNow + Timeout;
            while (DateTime.UtcNow < deadline && (frames < 10 || energy <= 0))
            {
                var stats = await viewerPage.EvaluateAsync<JsonElement>("() => window.inboundStats()").WaitAsync(Timeout);
                frames = stats.GetProperty("framesDecoded").GetDouble();
                energy = stats.GetProperty("totalAudioEnergy").GetDouble();
                await Task.Delay(200);
            }

            output.WriteLine($"viewer: framesDecoded={frames} totalAudioEnergy={energy}");
            Assert.True(frames >= 10, $"framesDecoded {frames}");
            Assert.True(energy > 0, $"totalAudioEnergy {energy}");
            var legs = (await admin.GetJsonAsync($"/api/rooms/{id}")).GetProperty("legs");
            Assert.Equal(2, legs.GetArrayLength());

            var leftViewer = await admin.DeleteAsync(whepLocation).WaitAsync(Timeout);
            var leftPublisher = await admin.DeleteAsync(whipLocation).WaitAsync(Timeout);
            var again = await admin.DeleteAsync(whipLocation).WaitAsync(Timeout);
            Assert.Equal(HttpStatusCode.OK, leftViewer.StatusCode);
            Assert.Equal(HttpStatusCode.OK, leftPublisher.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        }
        finally
        {
            await publisherPage.CloseAsync().WaitAsync(Timeout);
            await viewerPage.CloseAsync().WaitAsync(Timeout);
        }
    }

    [Theory]
    [InlineData("not sdp at all")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=rtpmap:111 opus/48000/2\r\n")]
    public async Task Whip_WithAnOfferTheHubCannotServe_IsA4xxProblem(string offer)
    {
        var (admin, room) = await RoomAsync();

        var response = await admin.PostAsync($"/whip/{room.GetProperty("id").GetString()}", Sdp(offer)).WaitAsync(Timeout);

        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Whip_WithoutTokenOrWrongType_IsRefused()
    {
        var (admin, room) = await RoomAsync();
        var id = room.GetProperty("id").GetString();

        var anonymous = await _hub.CreateClient().PostAsync($"/whip/{id}", Sdp("v=0")).WaitAsync(Timeout);
        var json = await admin.PostAsync($"/whip/{id}", new StringContent("{}", Encoding.UTF8, "application/json")).WaitAsync(Timeout);
        var unknownRoom = await admin.PostAsync($"/whip/{Guid.NewGuid()}", Sdp("v=0")).WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownRoom.StatusCode);
    }
}
