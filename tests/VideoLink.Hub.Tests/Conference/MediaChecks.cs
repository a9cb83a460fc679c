using System.Buffers.Binary;
using System.Diagnostics;

namespace VideoLink.Hub.Tests.Conference;

/// <summary>What the interop test measures in received media: tone amplitudes, H.264 keyframes, ffmpeg decoding.</summary>
internal static class MediaChecks
{
    /// <summary>Amplitude of <paramref name="hz"/> in <paramref name="samples"/> (Goertzel; a full-scale sine reads 1).</summary>
    public static double ToneAmplitude(ReadOnlySpan<short> samples, int sampleRate, double hz)
    {
        var coeff = 2 * Math.Cos(2 * Math.PI * hz / sampleRate);
        double s1 = 0, s2 = 0;
        foreach (var x in samples)
        {
            var s = (x / 32768.0) + (coeff * s1) - s2;
            s2 = s1;
            s1 = s;
        }

        var power = (s1 * s1) + (s2 * s2) - (coeff * s1 * s2);
        return samples.Length == 0 ? 0 : 2 * Math.Sqrt(Math.Max(power, 0)) / samples.Length;
    }

    /// <summary>The PCM samples (first channel) and rate of a 16-bit WAV file, even one still being written.</summary>
    public static (short[] Samples, int Rate) ReadWav(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        int rate = 8000, channels = 1, offset = 12, dataStart = -1;
        while (offset + 8 <= bytes.Length)
        {
            var id = System.Text.Encoding.ASCII.GetString(bytes, offset, 4);
            var size = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset + 4));
            if (id == "fmt ")
            {
                channels = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(offset + 10));
                rate = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset + 12));
            }
            else if (id == "data")
            {
                dataStart = offset + 8;
                break;
            }

            offset += 8 + Math.Max(size, 0);
        }

        Assert.True(dataStart > 0, "no data chunk in " + path);
        var frames = (bytes.Length - dataStart) / (2 * channels);
        var samples = new short[frames];
        for (var i = 0; i < frames; i++)
        {
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(dataStart + (i * 2 * channels)));
        }

        return (samples, rate);
    }

    /// <summary>True if the RTP packet starts an H.264 keyframe (SPS or IDR: single NAL, STAP-A, FU-A start).</summary>
    public static bool IsKeyFrameStart(byte[] rtp)
    {
        var payload = Payload(rtp);
        if (payload.IsEmpty)
        {
            return false;
        }

        var type = payload[0] & 0x1F;
        return type switch
        {
            5 or 7 => true,
            24 => payload.Length > 3 && (payload[3] & 0x1F) is 5 or 7,
            28 => payload.Length > 1 && (payload[1] & 0x80) != 0 && (payload[1] & 0x1F) == 5,
            _ => false,
        };
    }

    private static ReadOnlySpan<byte> Payload(byte[] rtp)
    {
        var offset = 12 + ((rtp[0] & 0x0F) * 4);
        if ((rtp[0] & 0x10) != 0 && rtp.Length >= offset + 4)
        {
            offset += 4 + (((rtp[offset + 2] << 8) | rtp[offset + 3]) * 4);
        }

        var end = rtp.Length - ((rtp[0] & 0x20) != 0 ? rtp[^1] : 0);
        return offset < end ? rtp.AsSpan(offset, end - offset) : [];
    }

    /// <summary>RTP H.264 (RFC 6184: single NAL, STAP-A, FU-A) in arrival order to an Annex B byte stream.</summary>
    public static byte[] ToAnnexB(IEnumerable<byte[]> packets)
    {
        using var output = new MemoryStream();
        MemoryStream? fragment = null;
        void Write(ReadOnlySpan<byte> nal)
        {
            output.Write([0, 0, 0, 1]);
            output.Write(nal);
        }

        foreach (var rtp in packets)
        {
            var payload = Payload(rtp);
            if (payload.IsEmpty)
            {
                continue;
            }

            var type = payload[0] & 0x1F;
            if (type is >= 1 and <= 23)
            {
                Write(payload);
            }
            else if (type == 24)
            {
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
            }
            else if (type == 28 && payload.Length > 2)
            {
                if ((payload[1] & 0x80) != 0)
                {
                    fragment = new MemoryStream();
                    fragment.WriteByte((byte)((payload[0] & 0xE0) | (payload[1] & 0x1F)));
                }

                fragment?.Write(payload[2..]);
                if ((payload[1] & 0x40) != 0 && fragment is not null)
                {
                    Write(fragment.ToArray());
                    fragment.Dispose();
                    fragment = null;
                }
            }
        }

        fragment?.Dispose();
        return output.ToArray();
    }

    /// <summary>Decodes an Annex B file with ffmpeg; returns the exit code, frames decoded and ffmpeg's error output.</summary>
    public static async Task<(int ExitCode, int Frames, string Errors)> FfmpegDecodeAsync(string path, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(ScriptedSipLeg.FfmpegPath) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "-hide_banner", "-v", "error", "-f", "h264", "-i", path, "-f", "framemd5", "-" })
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(timeout);
        var frames = (await stdout).Split('\n').Count(l => l.Length > 0 && !l.StartsWith('#'));
        return (process.ExitCode, frames, await stderr);
    }
}
