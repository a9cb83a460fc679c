using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace VideoLink.Hub.Tests.Conference;

/// <summary>
/// baresip (the Debian package) as an audio-only SIP participant: a sine tone as its microphone (ausine), no sound
/// card, and the sndfile module writing what it hears to a WAV file. It dials the room itself. Missing baresip fails.
/// </summary>
internal sealed class BaresipParticipant : IAsyncDisposable
{
    public const string Path = "/usr/bin/baresip";

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private BaresipParticipant(Process process, string dir)
    {
        _process = process;
        Directory = dir;
    }

    public string Directory { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts baresip dialling <paramref name="target"/>; a listen port taken meanwhile by someone else is retried.</summary>
    public static async Task<BaresipParticipant> DialAsync(int sipPort, string user, string password, string target, int toneHz, TimeSpan runFor)
    {
        for (var attempt = 1; ; attempt++)
        {
            var participant = Dial(sipPort, user, password, target, toneHz, runFor);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(2);
            while (DateTime.UtcNow < deadline && !participant.Output.Contains("in use", StringComparison.Ordinal))
            {
                await Task.Delay(100);
            }

            if (!participant.Output.Contains("in use", StringComparison.Ordinal) || attempt == 3)
            {
                return participant;
            }

            await participant.DisposeAsync();
        }
    }

    private static BaresipParticipant Dial(int sipPort, string user, string password, string target, int toneHz, TimeSpan runFor)
    {
        Assert.True(File.Exists(Path), "baresip is required at " + Path + " (apt-get install baresip-core)");
        var dir = System.IO.Directory.CreateTempSubdirectory("baresip-conf-").FullName;
        var localPort = VideoLink.Sip.Tests.Infrastructure.Sipp.FreePort();
        File.WriteAllText(System.IO.Path.Combine(dir, "config"), string.Join('\n',
            "poll_method epoll",
            $"sip_listen 127.0.0.1:{localPort.ToString(CultureInfo.InvariantCulture)}",
            $"audio_source ausine,{toneHz.ToString(CultureInfo.InvariantCulture)}",
            "audio_player aubridge,none",
            "audio_alert aubridge,none",
            "ausrc_srate 48000",
            "ausrc_channels 2",
            "auplay_srate 48000",
            "rtp_stats yes",
            $"snd_path {dir}",
            "module_path /usr/lib/baresip/modules",
            "module stdio.so",
            "module g711.so",
            "module ausine.so",
            "module aubridge.so",
            "module sndfile.so",
            "module_app account.so",
            "module_app menu.so",
            "") + "\n");
        File.WriteAllText(System.IO.Path.Combine(dir, "accounts"),
            $"<sip:{user}@127.0.0.1:{sipPort.ToString(CultureInfo.InvariantCulture)};transport=udp>;auth_user={user};auth_pass={password};regint=0;audio_codecs=PCMU/8000/1\n");
        File.WriteAllText(System.IO.Path.Combine(dir, "contacts"), "");
        var psi = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = dir,
        };
        foreach (var arg in new[] { "-f", dir, "-t", ((int)runFor.TotalSeconds).ToString(CultureInfo.InvariantCulture), "-e", "/dial " + target })
        {
            psi.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = psi };
        var participant = new BaresipParticipant(process, dir);
        process.OutputDataReceived += (_, e) => participant.Append(e.Data);
        process.ErrorDataReceived += (_, e) => participant.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return participant;
    }

    /// <summary>The WAV file of what baresip decoded from the hub (sndfile's "-dec" dump), once it exists.</summary>
    public string? HeardFile() => System.IO.Directory.GetFiles(Directory, "*dec*.wav").FirstOrDefault();

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    /// <summary>Ends the call the way a user would (hang up), then lets baresip finish.</summary>
    public async Task HangUpAsync()
    {
        if (!_process.HasExited)
        {
            await _process.StandardInput.WriteLineAsync("/hangup");
            await _process.StandardInput.FlushAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
        }

        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
