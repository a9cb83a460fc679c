using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using VideoLink.Hub.Conference;
using VideoLink.Hub.Tests.Infrastructure;
using VideoLink.Media.Tests.Interop;
using VideoLink.Sip;
using Xunit.Abstractions;

using static VideoLink.Hub.Tests.Conference.RoomApi;

namespace VideoLink.Hub.Tests.Conference;

/// <summary>
/// The conference engine with real, independent peers in one room: two headless Chromium participants (WebRTC over
/// WHIP, sendrecv), baresip dialling in over SIP (audio only), and a scripted SIP video phone whose H.264 + PCMU come
/// from ffmpeg. Each sends its own tone. Every participant must hear the others' tones and not its own (N−1 mix); the
/// SIP phone must receive the main venue's video and ffmpeg must decode it without errors; after a roll call the
/// receivers must get a keyframe of the called site within 1 s. A missing peer fails the test.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class MixedRoomInteropTests(ChromiumFixture chromium, HubFactory hub, ITestOutputHelper output) : IClassFixture<HubFactory>
{
    private const int ToneA = 700;
    private const int ToneB = 1000;
    private const int ToneBaresip = 440;
    private const int TonePhone = 1400;
    private static readonly int[] Tones = [ToneA, ToneB, ToneBaresip, TonePhone];
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static StringContent Sdp(string sdp) => new(sdp, Encoding.UTF8, new MediaTypeHeaderValue("application/sdp"));

    private async Task<(IPage Page, Guid LegId)> JoinChromiumAsync(HttpClient admin, string roomId, int tone)
    {
        var page = await chromium.NewPageAsync();
        var script = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "conference-peer.js"));
        await page.EvaluateAsync(script).WaitAsync(Timeout);
        var offer = await page.EvaluateAsync<string>("f => window.joinConference(f)", tone).WaitAsync(Timeout);
        var whip = await admin.PostAsync($"/whip/{roomId}", Sdp(offer)).WaitAsync(Timeout);
        Assert.Equal(HttpStatusCode.Created, whip.StatusCode);
        await page.EvaluateAsync("sdp => window.applyConferenceAnswer(sdp)", await whip.Content.ReadAsStringAsync()).WaitAsync(Timeout);
        var legId = Guid.Parse(whip.Headers.Location!.ToString().Split('/')[^1]);
        return (page, legId);
    }

    private void AssertHears(string who, IReadOnlyDictionary<int, double> amplitudes, int ownTone)
    {
        output.WriteLine($"{who} hears " + string.Join(", ", amplitudes.Select(a => $"{a.Key} Hz: {a.Value:F4}")));
        var own = amplitudes[ownTone];
        foreach (var (tone, amplitude) in amplitudes)
        {
            if (tone == ownTone)
            {
                continue;
            }

            Assert.True(amplitude > 0.01, $"{who} does not hear {tone} Hz ({amplitude:F4})");
            Assert.True(amplitude > 8 * own, $"{who} hears its own {ownTone} Hz ({own:F4}) too loudly against {tone} Hz ({amplitude:F4})");
        }
    }

    [Fact]
    public async Task TwoBrowsers_Baresip_AndAnFfmpegSipPhone_HearEachOtherNotThemselves_SeeTheMainVenue_AndRollCallSwitchesWithinASecond()
    {
        var admin = await hub.LoginAsync();
        var room = await (await admin.PostJsonAsync("/api/rooms", new { name = "四方会议" })).JsonAsync();
        var roomId = room.GetProperty("id").GetString()!;
        var number = room.GetProperty("sipNumber").GetString()!;
        _ = hub.Server;
        var sipPort = hub.Services.GetRequiredService<SipServer>().UdpEndPoint!.Port;
        var target = $"sip:{number}@127.0.0.1:{sipPort}";
        IPage? pageA = null, pageB = null;
        await using var phone = new ScriptedSipLeg(new IPEndPoint(IPAddress.Loopback, sipPort), "8101", "Sample-8101");
        BaresipParticipant? baresip = null;
        try
        {
            (pageA, var legA) = await JoinChromiumAsync(admin, roomId, ToneA);
            (pageB, var legB) = await JoinChromiumAsync(admin, roomId, ToneB);
            await phone.JoinAsync(target, TonePhone, Timeout);
            baresip = await BaresipParticipant.DialAsync(sipPort, "82001", "Sample-82001", target, ToneBaresip, TimeSpan.FromSeconds(120));

            var live = await UntilAsync(admin, $"/api/rooms/{roomId}", r => r.GetProperty("legs").GetArrayLength() == 4
                && r.GetProperty("legs").EnumerateArray().All(l => l.GetProperty("state").GetString() == "connected"), "four connected legs");
            var legs = live.GetProperty("legs").EnumerateArray().ToList();
            var phoneLeg = legs.Single(l => l.GetProperty("kind").GetString() == "Sip" && l.GetProperty("sendsVideo").GetBoolean()).GetProperty("id").GetGuid();
            var baresipLeg = legs.Single(l => l.GetProperty("kind").GetString() == "Sip" && !l.GetProperty("sendsVideo").GetBoolean()).GetProperty("id").GetGuid();
            Assert.Equal(HttpStatusCode.NoContent, (await admin.PutJsonAsync($"/api/rooms/{roomId}/main-venue", new { legId = legA })).StatusCode);

            // The phone (not the main venue) must be shown the main venue, and the main venue someone else.
            await UntilAsync(admin, $"/api/rooms/{roomId}", r => r.GetProperty("legs").EnumerateArray()
                .Any(l => l.GetProperty("id").GetGuid() == phoneLeg && l.GetProperty("watching").ValueKind == JsonValueKind.String && l.GetProperty("watching").GetGuid() == legA), "the phone watching the main venue");

            // Listen for up to 20 s in 1 s steps (the machine is shared and a peer may stall for a moment): each one must
            // hear every other tone at some point, and never its own. Chromium analyses its last 2 s; the phone and
            // baresip are cut into 1 s windows of everything they heard so far.
            var heard = new Dictionary<string, Dictionary<int, double>>
            {
                ["Chromium A"] = [], ["Chromium B"] = [], ["ffmpeg SIP phone"] = [], ["baresip"] = [],
            };
            var own = new Dictionary<string, int> { ["Chromium A"] = ToneA, ["Chromium B"] = ToneB, ["ffmpeg SIP phone"] = TonePhone, ["baresip"] = ToneBaresip };
            void Keep(string who, int tone, double amplitude) => heard[who][tone] = Math.Max(heard[who].GetValueOrDefault(tone), amplitude);
            bool Done() => heard.All(h => Tones.All(t => h.Value.ContainsKey(t)) && Tones.Where(t => t != own[h.Key]).All(t => h.Value[t] > Math.Max(0.01, 8 * h.Value[own[h.Key]])));
            var listenUntil = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            await Task.Delay(TimeSpan.FromSeconds(3));
            do
            {
                var a = await pageA.EvaluateAsync<double[]>("t => window.toneAmplitudes(t)", Tones).WaitAsync(Timeout);
                var b = await pageB.EvaluateAsync<double[]>("t => window.toneAmplitudes(t)", Tones).WaitAsync(Timeout);
                for (var i = 0; i < Tones.Length; i++)
                {
                    Keep("Chromium A", Tones[i], a[i]);
                    Keep("Chromium B", Tones[i], b[i]);
                }

                var phoneAudio = phone.ReceivedAudio();
                for (var start = 0; start + 8000 <= phoneAudio.Length; start += 8000)
                {
                    foreach (var t in Tones)
                    {
                        Keep("ffmpeg SIP phone", t, MediaChecks.ToneAmplitude(phoneAudio.AsSpan(start, 8000), 8000, t));
                    }
                }

                if (baresip.HeardFile() is { } heardFile)
                {
                    var (samples, rate) = MediaChecks.ReadWav(heardFile);
                    for (var start = 0; start + rate <= samples.Length; start += rate)
                    {
                        foreach (var t in Tones)
                        {
                            Keep("baresip", t, MediaChecks.ToneAmplitude(samples.AsSpan(start, rate), rate, t));
                        }
                    }
                }

                if (Done())
                {
                    break;
                }

                await Task.Delay(1000);
            }
            while (DateTime.UtcNow < listenUntil);

            Assert.True(baresip.HeardFile() is not null, "baresip wrote no decoded-audio file: " + baresip.Output);
            foreach (var (who, amplitudes) in heard)
            {
                AssertHears(who, amplitudes, own[who]);
            }

            // The phone receives the main venue's (Chromium A's) H.264; ffmpeg decodes it without a single error.
            var beforeRollCall = phone.ReceivedVideo.Select(v => v.Packet).ToList();
            Assert.True(beforeRollCall.Count > 50, $"the phone received only {beforeRollCall.Count} video packets");

            // Roll call (点名) of Chromium B: the phone and the main venue switch to B at B's keyframe within a second.
            var statsA = await pageA.EvaluateAsync<JsonElement>("() => window.videoStats()").WaitAsync(Timeout);
            var keyFramesA = statsA.GetProperty("keyFrames").GetDouble();
            var called = Environment.TickCount64;
            Assert.Equal(HttpStatusCode.NoContent, (await admin.PostJsonAsync($"/api/rooms/{roomId}/roll-call", new { legId = legB })).StatusCode);
            double? browserKeyFrameMs = null;
            while (Environment.TickCount64 - called < 3000 && browserKeyFrameMs is null)
            {
                var stats = await pageA.EvaluateAsync<JsonElement>("() => window.videoStats()").WaitAsync(Timeout);
                if (stats.GetProperty("keyFrames").GetDouble() > keyFramesA)
                {
                    browserKeyFrameMs = Environment.TickCount64 - called;
                }

                await Task.Delay(30);
            }

            var after = await UntilAsync(admin, $"/api/rooms/{roomId}", r => r.GetProperty("legs").EnumerateArray()
                .Single(l => l.GetProperty("id").GetGuid() == phoneLeg).GetProperty("watching").ValueKind == JsonValueKind.String
                && r.GetProperty("legs").EnumerateArray().Single(l => l.GetProperty("id").GetGuid() == phoneLeg).GetProperty("watching").GetGuid() == legB, "the phone watching the called site");
            var phoneKeyFrame = phone.ReceivedVideo.FirstOrDefault(v => v.Ticks >= called && MediaChecks.IsKeyFrameStart(v.Packet));
            Assert.True(phoneKeyFrame.Packet is not null, "the phone got no keyframe after the roll call");
            var phoneKeyFrameMs = phoneKeyFrame.Ticks - called;
            var switchMs = after.GetProperty("legs").EnumerateArray().Single(l => l.GetProperty("id").GetGuid() == phoneLeg).GetProperty("lastSwitchMilliseconds").GetDouble();
            output.WriteLine($"roll call: phone keyframe after {phoneKeyFrameMs} ms (hub switch {switchMs} ms); Chromium A keyframe decoded after {browserKeyFrameMs} ms");
            Assert.True(phoneKeyFrameMs < 1000, $"phone keyframe after {phoneKeyFrameMs} ms");
            Assert.True(browserKeyFrameMs is < 1000, $"Chromium A decoded a new keyframe after {browserKeyFrameMs} ms");

            await Task.Delay(1000);
            var annexB = MediaChecks.ToAnnexB(phone.ReceivedVideo.Select(v => v.Packet));
            var file = Path.Combine(hub.DataDirectory, "phone-received.h264");
            await File.WriteAllBytesAsync(file, annexB);
            var (exit, frames, errors) = await MediaChecks.FfmpegDecodeAsync(file, Timeout);
            output.WriteLine($"ffmpeg decoded {frames} frames of what the phone received ({annexB.Length} bytes), errors: '{errors.Trim()}'");
            Assert.Equal(0, exit);
            Assert.True(errors.Trim().Length == 0, errors);
            Assert.True(frames >= 30, $"only {frames} frames decoded");
            Assert.True(phone.InfoRequests >= 0);

            // Leaving: the phone hangs up (BYE), baresip hangs up, the chair kicks B, the room ends — all in the journal.
            await phone.HangUpAsync(Timeout);
            await baresip.HangUpAsync();
            Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/rooms/{roomId}/legs/{legB}").WaitAsync(Timeout)).StatusCode);
            await UntilAsync(admin, $"/api/rooms/{roomId}", r => r.GetProperty("legs").GetArrayLength() == 1, "three legs leaving");
            Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/rooms/{roomId}").WaitAsync(Timeout)).StatusCode);
            await hub.Services.GetRequiredService<ConferenceService>().FlushIntervalsAsync(CancellationToken.None).WaitAsync(Timeout);
            var intervals = (await admin.GetJsonAsync($"/api/rooms/{roomId}/intervals")).EnumerateArray().ToList();
            var reasons = intervals.ToDictionary(i => i.GetProperty("legId").GetGuid(), i => i.GetProperty("leftReason").GetString());
            output.WriteLine("intervals: " + string.Join(", ", reasons.Select(r => $"{r.Key:N}={r.Value}")));
            Assert.Equal(4, intervals.Count);
            Assert.Equal(LeaveReasons.Hangup, reasons[phoneLeg]);
            Assert.Equal(LeaveReasons.Hangup, reasons[baresipLeg]);
            Assert.Equal(LeaveReasons.Kicked, reasons[legB]);
            Assert.Equal(LeaveReasons.RoomEnded, reasons[legA]);
        }
        finally
        {
            if (baresip is not null)
            {
                output.WriteLine("baresip: " + string.Join(" | ", baresip.Output.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('[')).Take(40)));
                await baresip.DisposeAsync();
            }

            if (pageA is not null)
            {
                await pageA.CloseAsync().WaitAsync(Timeout);
            }

            if (pageB is not null)
            {
                await pageB.CloseAsync().WaitAsync(Timeout);
            }
        }
    }
}
