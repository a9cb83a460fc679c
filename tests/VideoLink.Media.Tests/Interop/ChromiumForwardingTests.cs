using System.Text.Json;
using Microsoft.Playwright;
using VideoLink.Media.Routing;
using Xunit.Abstractions;

namespace VideoLink.Media.Tests.Interop;

/// <summary>Page A publishes, page B subscribes, our endpoint forwards A to B with SSRC rewriting.</summary>
[Collection(ChromiumCollection.Name)]
public sealed class ChromiumForwardingTests(ChromiumFixture chromium, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task PublisherToSubscriber_ThroughEndpoint_SubscriberDecodesVideoAndHearsAudio()
    {
        await using var endpoint = new WebRtcEndpoint(new MediaOptions { Port = 0, BindAddress = "127.0.0.1" });
        endpoint.Start();
        var pageA = await chromium.NewPageAsync();
        var pageB = await chromium.NewPageAsync();
        try
        {
            var publisher = await ConnectAsync(endpoint, pageA, "window.publish()");
            var subscriber = CreateSubscriber(endpoint, await pageB.EvaluateAsync<string>("() => window.subscribe()").WaitAsync(Timeout));
            publisher.ReceiveBitrateCap = 1_000_000; // our RRs to A carry a REMB, as the router will do
            using var forwarder = new MediaForwarder(publisher, subscriber);
            await pageB.EvaluateAsync("sdp => window.applyAnswer(sdp)", subscriber.AnswerSdp).WaitAsync(Timeout);
            await subscriber.WhenConnected.WaitAsync(Timeout);

            // Poll B's receiver statistics until frames are decoded and audio energy has arrived.
            InboundStats stats = new();
            var deadline = DateTime.UtcNow + Timeout;
            while (DateTime.UtcNow < deadline)
            {
                stats = await ReadStatsAsync(pageB);
                if (stats.FramesDecoded >= 10 && stats.TotalAudioEnergy > 0)
                {
                    break;
                }

                await Task.Delay(200);
            }

            output.WriteLine($"B framesDecoded={stats.FramesDecoded} keyFrames={stats.KeyFramesDecoded} audioEnergy={stats.TotalAudioEnergy} " +
                $"audioPackets={stats.AudioPackets} videoPackets={stats.VideoPackets}; forwarded={forwarder.ForwardedPackets}; counters={endpoint.Counters}");
            Assert.True(stats.FramesDecoded >= 10, $"framesDecoded {stats.FramesDecoded}");
            Assert.True(stats.TotalAudioEnergy > 0, $"totalAudioEnergy {stats.TotalAudioEnergy}");
            Assert.Equal(0, endpoint.Counters.SrtpAuthenticationFailed);
        }
        finally
        {
            await pageA.CloseAsync().WaitAsync(Timeout);
            await pageB.CloseAsync().WaitAsync(Timeout);
        }
    }

    internal static async Task<WebRtcPeer> ConnectAsync(WebRtcEndpoint endpoint, IPage page, string offerScript)
    {
        var offer = await page.EvaluateAsync<string>("() => " + offerScript).WaitAsync(Timeout);
        var peer = CreateSubscriber(endpoint, offer);
        await page.EvaluateAsync("sdp => window.applyAnswer(sdp)", peer.AnswerSdp).WaitAsync(Timeout);
        await peer.WhenConnected.WaitAsync(Timeout);
        return peer;
    }

    private static WebRtcPeer CreateSubscriber(WebRtcEndpoint endpoint, string offer)
    {
        var result = endpoint.CreatePeer(offer);
        Assert.True(result.Succeeded, result.ErrorMessage);
        return result.Peer!;
    }

    private static async Task<InboundStats> ReadStatsAsync(IPage page)
    {
        var json = await page.EvaluateAsync<JsonElement>("() => window.inboundStats()").WaitAsync(Timeout);
        return new InboundStats
        {
            FramesDecoded = json.GetProperty("framesDecoded").GetDouble(),
            KeyFramesDecoded = json.GetProperty("keyFramesDecoded").GetDouble(),
            TotalAudioEnergy = json.GetProperty("totalAudioEnergy").GetDouble(),
            AudioPackets = json.GetProperty("audioPackets").GetDouble(),
            VideoPackets = json.GetProperty("videoPackets").GetDouble(),
        };
    }

    private sealed record InboundStats
    {
        public double FramesDecoded { get; init; }

        public double KeyFramesDecoded { get; init; }

        public double TotalAudioEnergy { get; init; }

        public double AudioPackets { get; init; }

        public double VideoPackets { get; init; }
    }
}
