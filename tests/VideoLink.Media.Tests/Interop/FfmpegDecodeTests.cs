using System.Diagnostics;
using VideoLink.Media.Routing;
using VideoLink.Media.Tests.Support;
using Xunit.Abstractions;

namespace VideoLink.Media.Tests.Interop;

/// <summary>
/// ffmpeg (an independent H.264 decoder) must decode, without a single error, the video our forwarder sends on: real
/// Chromium publishes, the forwarder rewrites and re-encrypts, an in-process receiver decrypts and depacketises
/// (RFC 6184 single NAL, STAP-A, FU-A) into an Annex B file, and <c>ffmpeg -v error</c> decodes it.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class FfmpegDecodeTests(ChromiumFixture chromium, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private const byte H264PayloadType = 108; // TestWebRtcClient's offer

    [Fact]
    public async Task ForwardedChromiumVideo_DecodesInFfmpeg_WithoutErrors()
    {
        Assert.True(File.Exists("/usr/bin/ffmpeg"), "ffmpeg is required (apt-get install ffmpeg)");
        await using var endpoint = new WebRtcEndpoint(new MediaOptions { Port = 0, BindAddress = "127.0.0.1" });
        endpoint.Start();
        await using var receiver = new TestWebRtcClient();
        var page = await chromium.NewPageAsync();
        var file = Path.Combine(Path.GetTempPath(), $"forwarded-{Guid.NewGuid():N}.h264");
        try
        {
            var publisher = await ChromiumForwardingTests.ConnectAsync(endpoint, page, "window.publish()");
            var subscriberResult = endpoint.CreatePeer(receiver.CreateOffer("recvonly", "recvonly"));
            Assert.True(subscriberResult.Succeeded, subscriberResult.ErrorMessage);
            var subscriber = subscriberResult.Peer!;
            using var forwarder = new MediaForwarder(publisher, subscriber);
            receiver.ApplyAnswer(subscriber.AnswerSdp);
            Assert.NotNull(await receiver.CheckAsync(useCandidate: true, Timeout));
            await receiver.ConnectDtlsAsync(Timeout);
            await subscriber.WhenConnected.WaitAsync(Timeout);

            // Collect at least 4 s of video from the first forwarded H.264 packet on, and on until 30 whole frames
            // (marker bits) came (Chromium's encoder starts late and slow on a busy machine), within the timeout;
            // no video at all fails below with 0 frames.
            var annexB = new H264Depacketizer();
            var deadline = DateTime.UtcNow + Timeout;
            var enoughAt = DateTime.MaxValue;
            var frameEnds = 0;
            while (DateTime.UtcNow < deadline && (DateTime.UtcNow < enoughAt || frameEnds < 30))
            {
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                try
                {
                    var rtp = await receiver.ReceivedRtp.ReadAsync(wait.Token);
                    if ((rtp[1] & 0x7F) == H264PayloadType)
                    {
                        if (enoughAt == DateTime.MaxValue)
                        {
                            enoughAt = DateTime.UtcNow + TimeSpan.FromSeconds(4);
                        }

                        frameEnds += (rtp[1] & 0x80) != 0 ? 1 : 0;
                        annexB.Add(rtp);
                    }
                }
                catch (OperationCanceledException)
                {
                    // nothing this second; keep waiting until the deadline
                }
            }

            await File.WriteAllBytesAsync(file, annexB.ToArray());
            var (exit, frames, errors) = await DecodeAsync(file);
            output.WriteLine($"forwarded {forwarder.ForwardedPackets} packets, {frameEnds} frame ends; {annexB.Length} bytes of H.264; ffmpeg decoded {frames} frames; errors: «{errors}»");
            Assert.Equal(0, exit);
            Assert.True(frames >= 20, $"ffmpeg decoded only {frames} frames");
            Assert.True(string.IsNullOrWhiteSpace(errors), errors);
        }
        finally
        {
            await page.CloseAsync().WaitAsync(Timeout);
            File.Delete(file);
        }
    }

    private static async Task<(int Exit, int Frames, string Errors)> DecodeAsync(string file)
    {
        var start = new ProcessStartInfo("/usr/bin/ffmpeg", ["-nostdin", "-v", "error", "-f", "h264", "-i", file, "-f", "framemd5", "-"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(Timeout);
        var frames = (await stdout).Split('\n').Count(l => l.Length > 0 && !l.StartsWith('#'));
        return (process.ExitCode, frames, await stderr);
    }

    /// <summary>RTP H.264 (RFC 6184) to an Annex B byte stream: single NAL units, STAP-A and FU-A.</summary>
    private sealed class H264Depacketizer
    {
        private static readonly byte[] StartCode = [0, 0, 0, 1];
        private readonly MemoryStream _out = new();
        private MemoryStream? _fragment;

        public long Length => _out.Length;

        public byte[] ToArray() => _out.ToArray();

        public void Add(byte[] rtp)
        {
            var csrc = rtp[0] & 0x0F;
            var offset = 12 + (csrc * 4);
            if ((rtp[0] & 0x10) != 0)
            {
                var extensionWords = (rtp[offset + 2] << 8) | rtp[offset + 3];
                offset += 4 + (extensionWords * 4);
            }

            var end = rtp.Length;
            if ((rtp[0] & 0x20) != 0)
            {
                end -= rtp[^1];
            }

            var payload = rtp.AsSpan(offset, end - offset);
            if (payload.IsEmpty)
            {
                return;
            }

            var type = payload[0] & 0x1F;
            switch (type)
            {
                case >= 1 and <= 23:
                    Write(payload);
                    break;
                case 24: // STAP-A: 16-bit size before each NAL unit
                    for (var i = 1; i + 2 <= payload.Length;)
                    {
                        var size = (payload[i] << 8) | payload[i + 1];
                        i += 2;
                        if (i + size > payload.Length)
                        {
                            break;
                        }

                        Write(payload.Slice(i, size));
                        i += size;
                    }

                    break;
                case 28: // FU-A: rebuild the NAL header from the FU indicator and header
                    var start = (payload[1] & 0x80) != 0;
                    var last = (payload[1] & 0x40) != 0;
                    if (start)
                    {
                        _fragment = new MemoryStream();
                        _fragment.WriteByte((byte)((payload[0] & 0xE0) | (payload[1] & 0x1F)));
                    }

                    _fragment?.Write(payload[2..]);
                    if (last && _fragment is not null)
                    {
                        Write(_fragment.ToArray());
                        _fragment = null;
                    }

                    break;
            }
        }

        private void Write(ReadOnlySpan<byte> nal)
        {
            _out.Write(StartCode);
            _out.Write(nal);
        }
    }
}
