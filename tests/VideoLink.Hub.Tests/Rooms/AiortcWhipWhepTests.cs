using System.Net;
using System.Net.Http.Headers;
using System.Text;
using VideoLink.Hub.Tests.Infrastructure;
using VideoLink.Media.Tests.Support;
using Xunit.Abstractions;

namespace VideoLink.Hub.Tests.Rooms;

/// <summary>
/// python3-aiortc (a second, independent DTLS/SRTP stack) through the hub's WHIP and WHEP doors. aiortc 1.4 needs one
/// connection per media kind, so audio and video are published and played on separate legs of one room.
/// </summary>
public sealed class AiortcWhipWhepTests(HubFactory hub, ITestOutputHelper output) : IClassFixture<HubFactory>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(40);

    private static StringContent Sdp(string sdp) => new(sdp, Encoding.UTF8, new MediaTypeHeaderValue("application/sdp"));

    [Fact]
    public async Task AiortcPublishesAudioAndVideoOverWhip_AiortcPlaysBothOverWhep()
    {
        var admin = await hub.LoginAsync();
        var room = await (await admin.PostJsonAsync("/api/rooms", new { name = "aiortc 互通" })).JsonAsync();
        var id = room.GetProperty("id").GetString();
        var processes = new List<AiortcProcess>();
        try
        {
            foreach (var kind in new[] { "audio", "video" })
            {
                var publisher = AiortcProcess.Start("aiortc_publisher.py", kind, 40);
                processes.Add(publisher);
                var whip = await admin.PostAsync($"/whip/{id}", Sdp(await publisher.ReadOfferAsync().WaitAsync(Timeout))).WaitAsync(Timeout);
                Assert.Equal(HttpStatusCode.Created, whip.StatusCode);
                await publisher.SendAnswerAsync(await whip.Content.ReadAsStringAsync());
            }

            var results = new Dictionary<string, (double Frames, double Energy, double Width)>();
            foreach (var kind in new[] { "audio", "video" })
            {
                var subscriber = AiortcProcess.Start("aiortc_subscriber.py", kind, 40);
                processes.Add(subscriber);
                var whep = await admin.PostAsync($"/whep/{id}", Sdp(await subscriber.ReadOfferAsync().WaitAsync(Timeout))).WaitAsync(Timeout);
                Assert.Equal(HttpStatusCode.Created, whep.StatusCode);
                await subscriber.SendAnswerAsync(await whep.Content.ReadAsStringAsync());

                // The subscriber prints one JSON line per decoded frame.
                double frames = 0, energy = 0, width = 0;
                while (frames < 10)
                {
                    var progress = await subscriber.ReadAsync().WaitAsync(Timeout);
                    frames = progress.GetProperty("frames").GetDouble();
                    energy = progress.GetProperty("energy").GetDouble();
                    width = progress.GetProperty("width").GetDouble();
                }

                results[kind] = (frames, energy, width);
                output.WriteLine($"aiortc {kind} via WHEP: frames {frames}, energy {energy}, width {width}");
            }

            Assert.True(results["audio"].Energy > 0, "decoded audio was silent");
            Assert.True(results["video"].Width > 0, "no decoded picture");
        }
        finally
        {
            foreach (var p in processes)
            {
                output.WriteLine(await p.StopAsync());
                await p.DisposeAsync();
            }
        }
    }
}
