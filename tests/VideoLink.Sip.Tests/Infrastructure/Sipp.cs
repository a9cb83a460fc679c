using System.Diagnostics;
using System.Globalization;

namespace VideoLink.Sip.Tests.Infrastructure;

/// <summary>Runs SIPp (Debian sip-tester) as a real peer. Missing SIPp is a test failure, not a skip.</summary>
public static class Sipp
{
    public const string Path = "/usr/bin/sipp";

    public sealed record Result(int ExitCode, string Output, string Errors)
    {
        public override string ToString() => $"exit {ExitCode}\n--- output ---\n{Output}\n--- errors ---\n{Errors}";
    }

    /// <summary>Runs one SIPp scenario to completion (one call) and returns its exit code and logs.</summary>
    public static Task<Result> RunAsync(string scenario, int port, IEnumerable<string> extraArgs, TimeSpan timeout, string transport = "u1") =>
        RunAsync(scenario, port, extraArgs, timeout, transport, FreePort());

    public static async Task<Result> RunAsync(string scenario, int port, IEnumerable<string> extraArgs, TimeSpan timeout, string transport, int localPort)
    {
        Assert.True(File.Exists(Path), "SIPp is required at " + Path + " (apt install sip-tester)");
        string work = Directory.CreateTempSubdirectory("sipp-").FullName;
        string scenarioPath = System.IO.Path.Combine(AppContext.BaseDirectory, "TestData", "Sipp", scenario);
        string errorFile = System.IO.Path.Combine(work, "errors.log");
        string messageFile = System.IO.Path.Combine(work, "messages.log");
        var psi = new ProcessStartInfo(Path)
        {
            WorkingDirectory = work,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string a in new[]
        {
            "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
            "-sf", scenarioPath, "-p", localPort.ToString(CultureInfo.InvariantCulture), "-m", "1", "-l", "1", "-i", "127.0.0.1", "-mi", "127.0.0.1", "-t", transport,
            "-timeout", ((int)timeout.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s", "-timeout_error",
            "-nostdin", "-trace_err", "-error_file", errorFile, "-trace_msg", "-message_file", messageFile,
        })
        {
            psi.ArgumentList.Add(a);
        }
        foreach (string a in extraArgs)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["TERM"] = "dumb";
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout + TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        string output = (await stdout.WaitAsync(TimeSpan.FromSeconds(5))) + await stderr.WaitAsync(TimeSpan.FromSeconds(5));
        string errors = File.Exists(errorFile) ? await File.ReadAllTextAsync(errorFile) : "";
        string messages = File.Exists(messageFile) ? await File.ReadAllTextAsync(messageFile) : "";
        try
        {
            Directory.Delete(work, recursive: true);
        }
        catch (IOException)
        {
        }
        return new Result(process.ExitCode, Tail(output, 3000), errors + "\n--- messages ---\n" + Tail(messages, 12000));
    }

    /// <summary>
    /// Waits until something (a SIPp UAS just started) listens on UDP <paramref name="port"/>. Self-contained: other
    /// test projects link this file alone.
    /// </summary>
    public static async Task UntilListeningAsync(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!System.Net.NetworkInformation.IPGlobalProperties.GetIPGlobalProperties().GetActiveUdpListeners().Any(e => e.Port == port))
        {
            Assert.True(DateTime.UtcNow < deadline, $"SIPp did not listen on UDP {port} within {timeout}");
            await Task.Delay(20);
        }
    }

    /// <summary>A port free for both UDP and TCP right now (SIPp otherwise takes 5060, which parallel tests share).</summary>
    public static int FreePort()
    {
        for (int i = 0; i < 20; i++)
        {
            using var tcp = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            tcp.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
            int port = ((System.Net.IPEndPoint)tcp.LocalEndPoint!).Port;
            try
            {
                using var udp = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
                udp.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port));
                return port;
            }
            catch (System.Net.Sockets.SocketException)
            {
            }
        }
        throw new InvalidOperationException("no free port");
    }

    private static string Tail(string s, int max) => s.Length <= max ? s : s[^max..];
}
