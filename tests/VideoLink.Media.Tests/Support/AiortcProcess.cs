using System.Diagnostics;
using System.Text.Json;

namespace VideoLink.Media.Tests.Support;

/// <summary>
/// One python3-aiortc peer in its own process (Debian's /usr/bin/python3 — the pyenv python3 on PATH lacks aiortc),
/// speaking JSON lines on stdio: it prints its offer, reads our answer, then prints progress.
/// </summary>
internal sealed class AiortcProcess : IAsyncDisposable
{
    public const string DebianPython = "/usr/bin/python3";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly Task<string> _stderr;

    private AiortcProcess(Process process)
    {
        _process = process;
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public static AiortcProcess Start(string script, string kind, int seconds, params string[] extra)
    {
        Assert.True(File.Exists(DebianPython), "python3-aiortc is required: apt-get install python3-aiortc");
        var start = new ProcessStartInfo(DebianPython, [Path.Combine(AppContext.BaseDirectory, "TestData", script), kind, seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), .. extra])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        return new AiortcProcess(Process.Start(start)!);
    }

    /// <summary>Reads the next JSON line; fails the test if the process ends first.</summary>
    public async Task<JsonElement> ReadAsync()
    {
        var line = await _process.StandardOutput.ReadLineAsync().WaitAsync(Timeout).ConfigureAwait(false);
        Assert.False(line is null, "aiortc ended early (its stderr is printed when the test disposes it)");
        return JsonDocument.Parse(line).RootElement.Clone();
    }

    public async Task<string> ReadOfferAsync() => (await ReadAsync().ConfigureAwait(false)).GetProperty("offer").GetString()!;

    public async Task SendAnswerAsync(string answerSdp)
    {
        await _process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(new { answer = answerSdp })).WaitAsync(Timeout).ConfigureAwait(false);
        await _process.StandardInput.FlushAsync().WaitAsync(Timeout).ConfigureAwait(false);
    }

    /// <summary>Ends the process and returns its stderr (for the test log).</summary>
    public async Task<string> StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync().WaitAsync(Timeout).ConfigureAwait(false);
        return await _stderr.WaitAsync(Timeout).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _process.Dispose();
    }
}
