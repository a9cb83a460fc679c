using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VideoLink.Hub.Tests.Infrastructure;
using VideoLink.Media.Tests.Support;
using VideoLink.Sip;
using Xunit.Abstractions;

namespace VideoLink.Hub.Tests.Conference;

/// <summary>
/// A room of independent peers driven only through the API: a scripted SIP video phone (ffmpeg H.264 320×240 + PCMU),
/// two python3-aiortc publishers (480×360 and 640×360, over WHIP), an aiortc audio publisher, and aiortc receivers for
/// video and audio (over WHEP; aiortc 1.4 needs one connection per kind). Each publisher has its own picture size,
/// so the video receiver's decoded width says whose picture it is watching. Roll call (点名) must put the called
/// site on the receiver and on the phone; polling (轮巡) must rotate through the chosen sites in order.
/// </summary>
public sealed class AiortcRollCallPollingTests(HubFactory hub, ITestOutputHelper output) : IClassFixture<HubFactory>
{
    private const int PhoneWidth = 320;
    private const int WidthA = 480;
    private const int WidthB = 640;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(40);

    private static StringContent Sdp(string sdp) => new(sdp, Encoding.UTF8, new MediaTypeHeaderValue("application/sdp"));

    [Fact]
    public async Task RollCallAndPolling_DrivenThroughTheApi_ShowEachCalledSiteToAiortcAndTheSipPhone()
    {
        var admin = await hub.LoginAsync();
        var room = await (await admin.PostJsonAsync("/api/rooms", new { name = "点名轮巡 aiortc" })).JsonAsync();
        var roomId = room.GetProperty("id").GetString()!;
        _ = hub.Server;
        var sipPort = hub.Services.GetRequiredService<SipServer>().UdpEndPoint!.Port;
        await using var phone = new ScriptedSipLeg(new IPEndPoint(IPAddress.Loopback, sipPort), "8101", "Sample-8101");
        var processes = new List<AiortcProcess>();
        using var stop = new CancellationTokenSource();
        try
        {
            await phone.JoinAsync($"sip:{room.GetProperty("sipNumber").GetString()}@127.0.0.1:{sipPort}", 1400, Timeout);

            async Task<(AiortcProcess Process, Guid LegId)> JoinAsync(string door, string script, string kind, params string[] extra)
            {
                var process = AiortcProcess.Start(script, kind, 120, extra);
                processes.Add(process);
                var response = await admin.PostAsync($"/{door}/{roomId}", Sdp(await process.ReadOfferAsync().WaitAsync(Timeout))).WaitAsync(Timeout);
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                await process.SendAnswerAsync(await response.Content.ReadAsStringAsync());
                return (process, Guid.Parse(response.Headers.Location!.ToString().Split('/')[^1]));
            }

            var (_, legA) = await JoinAsync("whip", "aiortc_publisher.py", "video", $"{WidthA}x360");
            var (_, legB) = await JoinAsync("whip", "aiortc_publisher.py", "video", $"{WidthB}x360");
            var (_, _) = await JoinAsync("whip", "aiortc_publisher.py", "audio");
            var (videoReceiver, _) = await JoinAsync("whep", "aiortc_subscriber.py", "video");
            var (audioReceiver, _) = await JoinAsync("whep", "aiortc_subscriber.py", "audio");

            var live = await RoomApi.UntilAsync(admin, $"/api/rooms/{roomId}", r => r.GetProperty("legs").GetArrayLength() == 6
                && r.GetProperty("legs").EnumerateArray().All(l => l.GetProperty("state").GetString() == "connected"), "six connected legs", Timeout);
            var phoneLeg = live.GetProperty("legs").EnumerateArray().Single(l => l.GetProperty("kind").GetString() == "Sip").GetProperty("id").GetGuid();

            // What the aiortc receivers decode, read all the time (the subscriber prints a line per frame).
            var widths = new WidthTimeline();
            var audioEnergy = 0.0;
            var readers = Task.WhenAll(
                Task.Run(async () =>
                {
                    while (!stop.IsCancellationRequested)
                    {
                        widths.Add((int)(await videoReceiver.ReadAsync()).GetProperty("width").GetDouble());
                    }
                }),
                Task.Run(async () =>
                {
                    while (!stop.IsCancellationRequested)
                    {
                        Volatile.Write(ref audioEnergy, (await audioReceiver.ReadAsync()).GetProperty("energy").GetDouble());
                    }
                }));

            // Roll call (点名) of each site in turn: the receiver decodes that site's picture, the phone is shown it too.
            foreach (var (leg, width, name) in new[] { (legA, WidthA, "aiortc A"), (phoneLeg, PhoneWidth, "SIP phone"), (legB, WidthB, "aiortc B") })
            {
                var called = Environment.TickCount64;
                Assert.Equal(HttpStatusCode.NoContent, (await admin.PostJsonAsync($"/api/rooms/{roomId}/roll-call", new { legId = leg })).StatusCode);
                var shownAfter = await widths.UntilAsync(width, called, Timeout);
                output.WriteLine($"roll call of {name}: aiortc receiver decodes its {width}-wide picture {shownAfter} ms after the call");
                Assert.True(shownAfter < 3000, $"roll call of {name} reached the aiortc receiver only after {shownAfter} ms");
                if (leg != phoneLeg)
                {
                    await RoomApi.UntilAsync(admin, $"/api/rooms/{roomId}", r => RoomApi.Watching(r, phoneLeg) == leg, $"the phone watching {name}", Timeout);
                }
            }

            var rollCallEnded = await admin.DeleteAsync($"/api/rooms/{roomId}/roll-call").WaitAsync(Timeout);
            Assert.Equal(HttpStatusCode.NoContent, rollCallEnded.StatusCode);

            // Polling (轮巡) A → phone → B every 2 s: the receiver sees the three pictures in that order, twice round.
            var pollingStarted = Environment.TickCount64;
            var polling = await admin.PostJsonAsync($"/api/rooms/{roomId}/polling", new { legIds = new[] { legA, phoneLeg, legB }, intervalSeconds = 2 });
            Assert.Equal(HttpStatusCode.NoContent, polling.StatusCode);
            var view = await admin.GetJsonAsync($"/api/rooms/{roomId}");
            Assert.Equal(JsonValueKind.Object, view.GetProperty("live").GetProperty("polling").ValueKind);
            await Task.Delay(TimeSpan.FromSeconds(15));
            var sequence = widths.DistinctRunsSince(pollingStarted + 500);
            output.WriteLine("while polling the receiver decoded widths " + string.Join(" → ", sequence));
            var expected = new[] { WidthA, PhoneWidth, WidthB, WidthA, PhoneWidth, WidthB };
            Assert.True(ContainsInOrder(sequence, expected), $"polling order {string.Join(",", sequence)} does not contain {string.Join(",", expected)}");
            Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/rooms/{roomId}/polling").WaitAsync(Timeout)).StatusCode);

            // Audio kept flowing through all of it: the aiortc audio receiver decodes the mix of the tone and the phone.
            var energyBefore = Volatile.Read(ref audioEnergy);
            await Task.Delay(TimeSpan.FromSeconds(2));
            output.WriteLine($"aiortc audio receiver energy {energyBefore:F3} → {Volatile.Read(ref audioEnergy):F3}");
            Assert.True(Volatile.Read(ref audioEnergy) > energyBefore, "the aiortc audio receiver stopped hearing the room");

            // The phone was shown every switch as one continuous stream ffmpeg decodes without an error.
            var annexB = MediaChecks.ToAnnexB(phone.ReceivedVideo.Select(v => v.Packet));
            var file = Path.Combine(hub.DataDirectory, "aiortc-room-phone.h264");
            await File.WriteAllBytesAsync(file, annexB);
            var (exit, frames, errors) = await MediaChecks.FfmpegDecodeAsync(file, Timeout);
            output.WriteLine($"ffmpeg decoded {frames} frames of what the phone received ({annexB.Length} bytes), errors: '{errors.Trim()}'");
            Assert.Equal(0, exit);
            Assert.True(errors.Trim().Length == 0, errors);
            Assert.True(frames >= 60, $"only {frames} frames decoded");

            await stop.CancelAsync();
            Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/rooms/{roomId}").WaitAsync(Timeout)).StatusCode);
            _ = readers; // the readers end with the processes below
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var p in processes)
            {
                var stderr = await p.StopAsync();
                if (stderr.Length > 0)
                {
                    output.WriteLine(stderr[..Math.Min(2000, stderr.Length)]);
                }

                await p.DisposeAsync();
            }
        }
    }

    private static bool ContainsInOrder(IReadOnlyList<int> sequence, IReadOnlyList<int> expected)
    {
        for (var start = 0; start + expected.Count <= sequence.Count; start++)
        {
            if (sequence.Skip(start).Take(expected.Count).SequenceEqual(expected))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The decoded width of every frame the aiortc receiver reports, with when it arrived.</summary>
    private sealed class WidthTimeline
    {
        private readonly ConcurrentQueue<(long Ticks, int Width)> _frames = new();

        public void Add(int width) => _frames.Enqueue((Environment.TickCount64, width));

        /// <summary>Milliseconds from <paramref name="since"/> to the first frame of that width after it.</summary>
        public async Task<long> UntilAsync(int width, long since, TimeSpan timeout)
        {
            var deadline = since + (long)timeout.TotalMilliseconds;
            while (Environment.TickCount64 < deadline)
            {
                foreach (var (ticks, w) in _frames)
                {
                    if (ticks >= since && w == width)
                    {
                        return ticks - since;
                    }
                }

                await Task.Delay(20);
            }

            Assert.Fail($"the aiortc receiver never decoded a {width}-wide picture; last widths {string.Join(",", _frames.TakeLast(10).Select(f => f.Width))}");
            return -1;
        }

        /// <summary>The widths decoded since a moment, with repeats collapsed (480,480,320,320 → 480,320).</summary>
        public IReadOnlyList<int> DistinctRunsSince(long since)
        {
            var runs = new List<int>();
            foreach (var (ticks, width) in _frames)
            {
                if (ticks >= since && (runs.Count == 0 || runs[^1] != width))
                {
                    runs.Add(width);
                }
            }

            return runs;
        }
    }
}
