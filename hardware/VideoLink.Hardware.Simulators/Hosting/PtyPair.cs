using System.Diagnostics;

namespace VideoLink.Hardware.Simulators.Hosting;

/// <summary>
/// Two linked pseudo-terminals made by socat (<c>socat pty,raw,echo=0,link=A pty,raw,echo=0,link=B</c>):
/// a driver opens <see cref="DevicePath"/> as if it were <c>/dev/ttyUSB0</c>, a simulator opens
/// <see cref="SimulatorPath"/>. Killing socat is an unplug: both ends see a hang-up and the links vanish.
/// </summary>
public sealed class PtyPair : IAsyncDisposable
{
    /// <summary>Where socat is expected (Debian package <c>socat</c>).</summary>
    public const string SocatPath = "/usr/bin/socat";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(5);
    private static readonly HashSet<Process> Running = [];
    private Process? _socat;

    static PtyPair()
    {
        // Safety net: a socat must never outlive the process that started it (test host, demo agent).
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
    }

    private PtyPair(string devicePath, string simulatorPath)
    {
        DevicePath = devicePath;
        SimulatorPath = simulatorPath;
    }

    /// <summary>The end a driver opens.</summary>
    public string DevicePath { get; }

    /// <summary>The end the simulator opens.</summary>
    public string SimulatorPath { get; }

    /// <summary>True while socat runs.</summary>
    public bool IsPlugged => _socat is { HasExited: false };

    /// <summary>Starts socat with fresh link names under <c>/tmp</c> (or <paramref name="devicePath"/> when given).</summary>
    /// <exception cref="InvalidOperationException">socat is not installed.</exception>
    public static async Task<PtyPair> StartAsync(string? devicePath, CancellationToken cancellationToken)
    {
        string stem = Path.Combine(Path.GetTempPath(), $"videolink-pty-{Guid.NewGuid():N}"[..30]);
        var pair = new PtyPair(devicePath ?? stem + "-dev", stem + "-sim");
        await pair.PlugAsync(cancellationToken).ConfigureAwait(false);
        return pair;
    }

    /// <summary>(Re)starts socat and waits until both links exist.</summary>
    public async Task PlugAsync(CancellationToken cancellationToken)
    {
        if (IsPlugged)
        {
            return;
        }

        if (!File.Exists(SocatPath))
        {
            throw new InvalidOperationException($"{SocatPath} is missing: install the Debian package 'socat' (apt-get install socat).");
        }

        var start = new ProcessStartInfo(SocatPath)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-d");
        start.ArgumentList.Add("-d");
        start.ArgumentList.Add($"pty,raw,echo=0,link={DevicePath}");
        start.ArgumentList.Add($"pty,raw,echo=0,link={SimulatorPath}");
        var socat = Process.Start(start) ?? throw new InvalidOperationException("socat did not start.");
        lock (Running)
        {
            Running.Add(socat);
        }

        // Drain socat's diagnostics so a full pipe never blocks it.
        socat.ErrorDataReceived += static (_, _) => { };
        socat.OutputDataReceived += static (_, _) => { };
        socat.BeginErrorReadLine();
        socat.BeginOutputReadLine();
        _socat = socat;

        var deadline = DateTime.UtcNow + StartTimeout;
        while (!(File.Exists(DevicePath) && File.Exists(SimulatorPath)))
        {
            if (socat.HasExited || DateTime.UtcNow > deadline)
            {
                await UnplugAsync().ConfigureAwait(false);
                throw new InvalidOperationException($"socat did not create {DevicePath} and {SimulatorPath}.");
            }

            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Unplug: kills socat; both pty ends hang up and the links disappear.</summary>
    public async Task UnplugAsync()
    {
        var socat = _socat;
        _socat = null;
        if (socat is null)
        {
            return;
        }

        try
        {
            if (!socat.HasExited)
            {
                socat.Kill();
            }

            await socat.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        finally
        {
            lock (Running)
            {
                Running.Remove(socat);
            }

            socat.Dispose();
            TryDelete(DevicePath);
            TryDelete(SimulatorPath);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await UnplugAsync().ConfigureAwait(false);

    private static void KillAll()
    {
        lock (Running)
        {
            foreach (var socat in Running)
            {
                try
                {
                    socat.Kill();
                }
                catch (InvalidOperationException)
                {
                    // Already exited.
                }
            }

            Running.Clear();
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (File.Exists(path) || new FileInfo(path).LinkTarget is not null)
            {
                File.Delete(path);
            }
        }
        catch (IOException)
        {
            // socat removes its links itself on a clean exit.
        }
    }
}
