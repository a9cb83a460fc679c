using System.Buffers.Binary;
using Xunit.Abstractions;

namespace VideoLink.Media.Tests.Interop;

/// <summary>The risk first: a real Chromium 156 completes ICE-lite + DTLS 1.2 with us and its SRTP decrypts.</summary>
[Collection(ChromiumCollection.Name)]
public sealed class ChromiumDtlsSrtpTests(ChromiumFixture chromium, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task ChromiumPublisher_HandshakesWithBouncyCastleDtls_AndItsSrtpDecrypts()
    {
        await using var endpoint = new WebRtcEndpoint(new MediaOptions { Port = 0, BindAddress = "127.0.0.1" });
        endpoint.Start();
        var page = await chromium.NewPageAsync();
        try
        {
            var offer = await page.EvaluateAsync<string>("() => window.publish()").WaitAsync(Timeout);
            var result = endpoint.CreatePeer(offer);
            Assert.True(result.Succeeded, result.ErrorMessage);
            var peer = result.Peer!;
            Assert.Equal("PCMU", peer.Audio!.Codec);
            Assert.Equal("H264", peer.Video!.Codec);

            var audioPackets = 0;
            var videoPackets = 0;
            var keyFrameSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var enoughAudio = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            peer.RtpReceived += (_, packet) =>
            {
                var pt = packet[1] & 0x7F;
                if (pt == peer.Audio.PayloadType && Interlocked.Increment(ref audioPackets) >= 25)
                {
                    enoughAudio.TrySetResult();
                }
                else if (pt == peer.Video.PayloadType)
                {
                    Interlocked.Increment(ref videoPackets);
                    var header = VideoLink.Media.Srtp.SrtpContext.RtpHeaderLength(packet);
                    if (header > 0 && header < packet.Length && IsH264KeyFramePacket(packet[header..]))
                    {
                        keyFrameSeen.TrySetResult();
                    }
                }
            };

            await page.EvaluateAsync("sdp => window.applyAnswer(sdp)", peer.AnswerSdp).WaitAsync(Timeout);
            await peer.WhenConnected.WaitAsync(Timeout);
            await Task.WhenAll(keyFrameSeen.Task, enoughAudio.Task).WaitAsync(Timeout);

            Assert.Equal(WebRtcPeerState.Connected, peer.State);
            Assert.Equal(0xC02B, peer.DtlsCipherSuite); // TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
            Assert.True(peer.DtlsExtendedMasterSecret);

            // Chromium offers AEAD_AES_128_GCM and we prefer it (RFC 7714): both sides say so, and its SRTP decrypted above.
            var json = await page.EvaluateAsync<string>("async () => JSON.stringify(await window.transportStats())").WaitAsync(Timeout);
            output.WriteLine("Chromium transport: " + json);
            using var transport = System.Text.Json.JsonDocument.Parse(json);
            Assert.Equal("SRTP_AEAD_AES_128_GCM", transport.RootElement.GetProperty("srtpCipher").GetString());
            Assert.Equal("SRTP_AEAD_AES_128_GCM", peer.SrtpCipher);
            Assert.True(peer.ClientHelloFragments >= 1);
            output.WriteLine($"ClientHello records: {peer.ClientHelloFragments}, audio packets {audioPackets}, video packets {videoPackets}");
            Assert.True(videoPackets > 0);
            var counters = endpoint.Counters;
            Assert.Equal(0, counters.SrtpAuthenticationFailed);
            Assert.Equal(0, counters.HandshakesFailed);
        }
        finally
        {
            await page.CloseAsync().WaitAsync(Timeout);
        }
    }

    [Fact]
    public async Task ChromiumPeer_KeepsConsentAlive_BeyondConsentTimeout()
    {
        // Consent timeout of 6 s: Chromium must refresh consent (RFC 7675) with Binding Requests on its own,
        // or every browser leg would be dropped after the timeout. Chromium pings a stable pair every 2.5 s,
        // so 6 s leaves room for one late check on a loaded CI machine (3 s did not, once).
        await using var endpoint = new WebRtcEndpoint(new MediaOptions { Port = 0, BindAddress = "127.0.0.1", ConsentTimeoutSeconds = 6 });
        endpoint.Start();
        var page = await chromium.NewPageAsync();
        try
        {
            var offer = await page.EvaluateAsync<string>("() => window.publish()").WaitAsync(Timeout);
            var peer = endpoint.CreatePeer(offer).Peer!;
            await page.EvaluateAsync("sdp => window.applyAnswer(sdp)", peer.AnswerSdp).WaitAsync(Timeout);
            await peer.WhenConnected.WaitAsync(Timeout);

            // Observing that nothing bad happens needs a period of time: two and a half consent timeouts.
            var closedEarly = await Task.WhenAny(peer.WhenClosed, Task.Delay(TimeSpan.FromSeconds(15))) == peer.WhenClosed;

            Assert.False(closedEarly, "peer closed: " + peer.CloseReason);
            Assert.Equal(WebRtcPeerState.Connected, peer.State);
            Assert.Equal(0, endpoint.Counters.ConsentExpired);
        }
        finally
        {
            await page.CloseAsync().WaitAsync(Timeout);
        }
    }

    [Fact]
    public async Task ChromiumPeer_WhenPageClosesConnection_PeerClosesPromptly()
    {
        await using var endpoint = new WebRtcEndpoint(new MediaOptions { Port = 0, BindAddress = "127.0.0.1" });
        endpoint.Start();
        var page = await chromium.NewPageAsync();
        try
        {
            var offer = await page.EvaluateAsync<string>("() => window.publish()").WaitAsync(Timeout);
            var peer = endpoint.CreatePeer(offer).Peer!;
            await page.EvaluateAsync("sdp => window.applyAnswer(sdp)", peer.AnswerSdp).WaitAsync(Timeout);
            await peer.WhenConnected.WaitAsync(Timeout);

            await page.EvaluateAsync("() => window.closePeer()").WaitAsync(Timeout);

            // DTLS close_notify ends the peer well before consent would expire.
            await peer.WhenClosed.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal("DTLS close_notify from peer", peer.CloseReason);
            Assert.Equal(0, endpoint.PeerCount);
        }
        finally
        {
            await page.CloseAsync().WaitAsync(Timeout);
        }
    }

    /// <summary>NAL type 5 (IDR) or 7 (SPS), alone, in a STAP-A (24) or starting an FU-A (28) (RFC 6184 §5).</summary>
    private static bool IsH264KeyFramePacket(ReadOnlySpan<byte> payload)
    {
        var type = payload[0] & 0x1F;
        return type switch
        {
            5 or 7 => true,
            24 => payload.Length > 3 && (payload[3] & 0x1F) is 5 or 7,
            28 => payload.Length > 1 && (payload[1] & 0x80) != 0 && (payload[1] & 0x1F) == 5,
            _ => false,
        };
    }
}
