using VideoLink.Media.Routing;
using VideoLink.Media.Rtp;
using VideoLink.Media.Tests.Support;
using Xunit.Abstractions;

namespace VideoLink.Media.Tests.Interop;

/// <summary>
/// A second, independent DTLS/SRTP stack (python3-aiortc 1.4: OpenSSL + libsrtp) publishes to the endpoint and
/// subscribes through it. One RTCPeerConnection per media kind, as aiortc 1.4 needs.
/// </summary>
public sealed class AiortcInteropTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("audio", "PCMU")]
    [InlineData("video", "H264")]
    public async Task AiortcPublisher_HandshakesAndItsMediaDecrypts(string kind, string codec)
    {
        await using var endpoint = new WebRtcEndpoint(new MediaOptions { Port = 0, BindAddress = "127.0.0.1" });
        endpoint.Start();
        var aiortc = AiortcProcess.Start("aiortc_publisher.py", kind, 20);
        try
        {
            var result = endpoint.CreatePeer(await aiortc.ReadOfferAsync());
            Assert.True(result.Succeeded, result.ErrorMessage);
            var peer = result.Peer!;
            var track = Assert.Single(peer.Tracks);
            Assert.Equal(codec, track.Codec);

            var packets = 0;
            var nonSilent = 0;
            var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            peer.RtpReceived += (_, packet) =>
            {
                if (!RtpHeader.TryParse(packet, out var header) || header.PayloadType != track.PayloadType)
                {
                    return;
                }

                // PCMU silence is 0xFF/0x7F; a tone is not.
                if (kind == "audio" && header.Payload(packet).IndexOfAnyExcept((byte)0xFF, (byte)0x7F) >= 0)
                {
                    Interlocked.Increment(ref nonSilent);
                }

                if (Interlocked.Increment(ref packets) >= 25)
                {
                    enough.TrySetResult();
                }
            };

            await aiortc.SendAnswerAsync(peer.AnswerSdp);
            await peer.WhenConnected.WaitAsync(Timeout);
            await enough.Task.WaitAsync(Timeout);

            output.WriteLine($"aiortc {kind}: {packets} packets, non-silent {nonSilent}, counters {endpoint.Counters}");
            Assert.Equal(0, endpoint.Counters.SrtpAuthenticationFailed);
            Assert.Equal("SRTP_AES128_CM_HMAC_SHA1_80", peer.SrtpCipher); // aiortc 1.4 offers no GCM: we fall back
            if (kind == "audio")
            {
                Assert.True(nonSilent > 0, "audio payload was silence");
            }
        }
        finally
        {
            output.WriteLine("aiortc stderr: " + await aiortc.StopAsync());
            await aiortc.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("audio")]
    [InlineData("video")]
    public async Task AiortcSubscriber_DecodesWhatAnotherAiortcPublishesThroughTheForwarder(string kind)
    {
        await using var endpoint = new WebRtcEndpoint(new MediaOptions { Port = 0, BindAddress = "127.0.0.1" });
        endpoint.Start();
        var publisherProcess = AiortcProcess.Start("aiortc_publisher.py", kind, 30);
        var subscriberProcess = AiortcProcess.Start("aiortc_subscriber.py", kind, 30);
        try
        {
            var publisher = endpoint.CreatePeer(await publisherProcess.ReadOfferAsync()).Peer!;
            var subscriberResult = endpoint.CreatePeer(await subscriberProcess.ReadOfferAsync());
            Assert.True(subscriberResult.Succeeded, subscriberResult.ErrorMessage);
            var subscriber = subscriberResult.Peer!;
            using var forwarder = new MediaForwarder(publisher, subscriber);
            await publisherProcess.SendAnswerAsync(publisher.AnswerSdp);
            await subscriberProcess.SendAnswerAsync(subscriber.AnswerSdp);
            await Task.WhenAll(publisher.WhenConnected, subscriber.WhenConnected).WaitAsync(Timeout);

            // The subscriber prints one line per decoded frame.
            var frames = 0.0;
            var energy = 0.0;
            var width = 0.0;
            while (frames < 10)
            {
                var progress = await subscriberProcess.ReadAsync();
                frames = progress.GetProperty("frames").GetDouble();
                energy = progress.GetProperty("energy").GetDouble();
                width = progress.GetProperty("width").GetDouble();
            }

            output.WriteLine($"aiortc subscriber {kind}: frames {frames}, energy {energy}, width {width}, forwarded {forwarder.ForwardedPackets}");
            if (kind == "audio")
            {
                Assert.True(energy > 0, "decoded audio was silent");
            }
            else
            {
                Assert.True(width > 0, "no decoded picture");
            }
        }
        finally
        {
            output.WriteLine("publisher stderr: " + await publisherProcess.StopAsync());
            output.WriteLine("subscriber stderr: " + await subscriberProcess.StopAsync());
            await publisherProcess.DisposeAsync();
            await subscriberProcess.DisposeAsync();
        }
    }
}
