using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace VideoLink.Sip.Tests.Infrastructure;

/// <summary>How a <see cref="Baresip"/> sounds and registers.</summary>
/// <param name="ToneHz">The sine tone it sends as its microphone (ausine).</param>
/// <param name="RegisterSeconds">Registration interval; 0 = never register (a participant that only dials).</param>
/// <param name="RecordHeard">Write what it decodes to a WAV file in its directory (sndfile module).</param>
public sealed record BaresipOptions(int ToneHz = 440, int RegisterSeconds = 120, bool RecordHeard = false);

/// <summary>
/// Runs baresip headless (config written to a temp dir, <c>-f dir</c>): sine-wave source, no sound card,
/// rtcpsummary for RTP statistics. Missing baresip is a test failure, not a skip.
/// </summary>
public sealed class Baresip : IAsyncDisposable
{
    public const string Path = "/usr/bin/baresip";

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _dir;

    private Baresip(Process process, string dir)
    {
        _process = process;
        _dir = dir;
    }

    /// <summary>Its config directory (and, with <see cref="BaresipOptions.RecordHeard"/>, its WAV files).</summary>
    public string Directory => _dir;

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

    public bool HasExited => _process.HasExited;

    /// <summary>Starts baresip registered as <paramref name="user"/>; <paramref name="commands"/> run at start (-e).</summary>
    public static Baresip Start(int serverPort, string user, string password, TimeSpan runFor, string accountParameters, params string[] commands) =>
        Start(serverPort, user, password, runFor, accountParameters, new BaresipOptions(), commands);

    /// <summary>As above, with its tone, registration and recording chosen by <paramref name="options"/>.</summary>
    public static Baresip Start(int serverPort, string user, string password, TimeSpan runFor, string accountParameters, BaresipOptions options, params string[] commands)
    {
        ArgumentNullException.ThrowIfNull(options);
        Assert.True(File.Exists(Path), "baresip is required at " + Path + " (apt install baresip-core)");
        string dir = System.IO.Directory.CreateTempSubdirectory("baresip-").FullName;
        int sipPort = Sipp.FreePort();
        File.WriteAllText(System.IO.Path.Combine(dir, "config"), string.Join('\n',
            "poll_method epoll",
            $"sip_listen 127.0.0.1:{sipPort.ToString(CultureInfo.InvariantCulture)}",
            $"audio_source ausine,{options.ToneHz.ToString(CultureInfo.InvariantCulture)}",
            "audio_player aubridge,none",
            "audio_alert aubridge,none",
            "ausrc_srate 48000",
            "ausrc_channels 2",
            "auplay_srate 48000",
            "rtp_stats yes",
            options.RecordHeard ? $"snd_path {dir}" : string.Empty,
            "module_path /usr/lib/baresip/modules",
            "module stdio.so",
            "module g711.so",
            "module ausine.so",
            "module aubridge.so",
            options.RecordHeard ? "module sndfile.so" : "module rtcpsummary.so",
            "module_app account.so",
            "module_app menu.so").Replace("\n\n", "\n", StringComparison.Ordinal) + "\n"); // no blank line for an option left out
        File.WriteAllText(System.IO.Path.Combine(dir, "accounts"),
            $"<sip:{user}@127.0.0.1:{serverPort.ToString(CultureInfo.InvariantCulture)};transport=udp>;auth_user={user};auth_pass={password};regint={options.RegisterSeconds.ToString(CultureInfo.InvariantCulture)};audio_codecs=PCMU/8000/1{accountParameters}\n");
        File.WriteAllText(System.IO.Path.Combine(dir, "contacts"), "");
        var psi = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = dir,
        };
        psi.ArgumentList.Add("-f");
        psi.ArgumentList.Add(dir);
        psi.ArgumentList.Add("-t");
        psi.ArgumentList.Add(((int)runFor.TotalSeconds).ToString(CultureInfo.InvariantCulture));
        foreach (string c in commands)
        {
            psi.ArgumentList.Add("-e");
            psi.ArgumentList.Add(c);
        }
        var process = new Process { StartInfo = psi };
        var baresip = new Baresip(process, dir);
        process.OutputDataReceived += (_, e) => baresip.Append(e.Data);
        process.ErrorDataReceived += (_, e) => baresip.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return baresip;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>RTP packets (sent, received) from baresip's end-of-call statistics (rtp_stats), or null.</summary>
    public (int Sent, int Received)? RtpPackets()
    {
        var m = System.Text.RegularExpressions.Regex.Match(Output, @"packets:\s+(\d+)\s+(\d+)");
        return m.Success
            ? (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))
            : null;
    }

    /// <summary>The log without the per-second bitrate lines and the echoed keystrokes.</summary>
    public string Log => string.Join('\n', Output.Split('\n').Where(l => !l.StartsWith('/') && !l.StartsWith("[0:", StringComparison.Ordinal) && l.Trim().Length > 0));

    /// <summary>Hangs up the current call, as a user at the phone would (menu command /hangup).</summary>
    public async Task HangUpAsync()
    {
        if (!_process.HasExited)
        {
            await _process.StandardInput.WriteLineAsync("/hangup");
            await _process.StandardInput.FlushAsync();
        }
    }

    public async Task WaitForExitAsync(TimeSpan timeout) => await _process.WaitForExitAsync().WaitAsync(timeout);

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
            System.IO.Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
