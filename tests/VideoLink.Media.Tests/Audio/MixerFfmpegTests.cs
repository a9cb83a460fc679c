using System.Diagnostics;
using VideoLink.Media.Audio;
using Xunit.Abstractions;

namespace VideoLink.Media.Tests.Audio;

/// <summary>
/// ffmpeg as the independent G.711 codec at both ends: it writes the tone files the legs send and decodes what the
/// mixer sends back. ffmpeg missing is a failure, not a skip.
/// </summary>
public sealed class MixerFfmpegTests(ITestOutputHelper output) : IDisposable
{
    private const string Ffmpeg = "/usr/bin/ffmpeg";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _directory = Directory.CreateTempSubdirectory("mixer-ffmpeg-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task ToneFilesFromFfmpeg_ThroughTheMixer_DecodeInFfmpegToTheOtherLegsTones()
    {
        Assert.True(File.Exists(Ffmpeg), "ffmpeg is required (apt-get install ffmpeg)");
        (double Frequency, G711Law Law, string Format)[] sites = [(440, G711Law.Mu, "mulaw"), (1000, G711Law.A, "alaw"), (1700, G711Law.Mu, "mulaw")];
        var inputs = new byte[sites.Length][];
        for (var i = 0; i < sites.Length; i++)
        {
            var file = Path.Combine(_directory, $"in{i}.{sites[i].Format}");
            await RunFfmpegAsync(
                "-f", "lavfi", "-i", $"sine=frequency={sites[i].Frequency}:sample_rate=8000:duration=3", "-ar", "8000", "-ac", "1",
                "-f", sites[i].Format, file);
            inputs[i] = await File.ReadAllBytesAsync(file);
            Assert.Equal(24000, inputs[i].Length);
        }

        var mixer = new ConferenceMixer();
        var legs = sites.Select(_ => Guid.NewGuid()).ToArray();
        var outputs = legs.Select(_ => new MemoryStream()).ToArray();
        for (var i = 0; i < legs.Length; i++)
        {
            Assert.True(mixer.AddInput(legs[i], sites[i].Law));
        }

        mixer.FrameMixed += (leg, payload, _) => outputs[Array.IndexOf(legs, leg)].Write(payload);
        for (var frame = 0; frame < 150; frame++)
        {
            for (var i = 0; i < legs.Length; i++)
            {
                mixer.Push(legs[i], inputs[i].AsSpan(frame * 160, 160), (ushort)(500 + frame), (uint)(frame * 160), G711.PayloadType(sites[i].Law), frame == 0);
            }

            mixer.Tick();
        }

        for (var i = 0; i < legs.Length; i++)
        {
            var mixedFile = Path.Combine(_directory, $"out{i}.{sites[i].Format}");
            await File.WriteAllBytesAsync(mixedFile, outputs[i].ToArray());
            var pcmFile = Path.Combine(_directory, $"out{i}.s16le");
            await RunFfmpegAsync("-f", sites[i].Format, "-ar", "8000", "-ac", "1", "-i", mixedFile, "-f", "s16le", "-acodec", "pcm_s16le", pcmFile);
            var bytes = await File.ReadAllBytesAsync(pcmFile);
            var samples = new short[bytes.Length / 2];
            Buffer.BlockCopy(bytes, 0, samples, 0, samples.Length * 2);
            Assert.Equal(150 * 160, samples.Length);

            var window = samples.AsSpan(samples.Length - 8000); // the last second: whole cycles of every tone
            for (var j = 0; j < sites.Length; j++)
            {
                var share = AudioSignals.ToneShare(window, sites[j].Frequency);
                output.WriteLine($"leg {i} ({sites[i].Law}) hears {sites[j].Frequency} Hz: {share:F4}");
                if (i == j)
                {
                    Assert.True(share < 0.005, $"leg {i} hears its own tone: {share}");
                }
                else
                {
                    Assert.True(share > 0.4, $"leg {i} misses {sites[j].Frequency} Hz: {share}");
                }
            }
        }
    }

    [Theory]
    [InlineData(G711Law.Mu, "mulaw")]
    [InlineData(G711Law.A, "alaw")]
    public async Task EveryCodeWord_DecodesLikeFfmpeg(G711Law law, string format)
    {
        Assert.True(File.Exists(Ffmpeg), "ffmpeg is required (apt-get install ffmpeg)");
        var codes = Enumerable.Range(0, 256).Select(c => (byte)c).ToArray();
        var file = Path.Combine(_directory, $"codes.{format}");
        await File.WriteAllBytesAsync(file, codes);
        var pcmFile = Path.Combine(_directory, $"codes-{format}.s16le");
        await RunFfmpegAsync("-f", format, "-ar", "8000", "-ac", "1", "-i", file, "-f", "s16le", "-acodec", "pcm_s16le", pcmFile);
        var bytes = await File.ReadAllBytesAsync(pcmFile);
        Assert.Equal(512, bytes.Length);
        for (var c = 0; c < 256; c++)
        {
            Assert.Equal(BitConverter.ToInt16(bytes, 2 * c), G711.Decode((byte)c, law));
        }
    }

    private async Task RunFfmpegAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Ffmpeg, ["-nostdin", "-v", "error", "-y", .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(Timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var errors = await stderr;
        await stdout;
        Assert.True(process.ExitCode == 0 && string.IsNullOrWhiteSpace(errors), $"ffmpeg {string.Join(' ', arguments)}: exit {process.ExitCode}: {errors}");
        output.WriteLine($"ffmpeg {string.Join(' ', arguments)}");
    }
}
