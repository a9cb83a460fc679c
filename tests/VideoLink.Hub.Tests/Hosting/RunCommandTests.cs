using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using VideoLink.Hub.Tests.Infrastructure;

namespace VideoLink.Hub.Tests.Hosting;

/// <summary>
/// README's run command, as a real process: the built hub with its own data folder, on a free port. Checks it is
/// ready within 60 s and that the generated admin password is printed once (and not written to the log file).
/// </summary>
public sealed partial class RunCommandTests
{
    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();

    [GeneratedRegex(@"created administrator 'admin' with password: (\S+)")]
    private static partial Regex AdminPassword();

    [Fact]
    public async Task Hub_StartedLikeTheReadme_IsReadyWithin60s_AndPrintsTheAdminPasswordOnce()
    {
        var data = Path.Combine(Path.GetTempPath(), "videolink-run-" + Guid.NewGuid().ToString("N"));
        var hubDll = Path.Combine(AppContext.BaseDirectory, "VideoLink.Hub.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { hubDll, "--urls", "http://127.0.0.1:0", "--data", data, "--sip-port", "0", "--media-port", "0" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment.Remove("VIDEOLINK_ADMIN_PASSWORD");
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var lines = new List<string>();
        var url = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (lines)
            {
                lines.Add(e.Data);
            }

            if (Listening().Match(e.Data) is { Success: true } m)
            {
                url.TrySetResult(m.Groups[1].Value);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (lines)
                {
                    lines.Add(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var baseUrl = await url.Task.WaitAsync(TestTimeouts.Startup);
            using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
            HttpStatusCode status = default;
            while (clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                status = (await http.GetAsync("/health/ready").WaitAsync(TestTimeouts.Request)).StatusCode;
                if (status == HttpStatusCode.OK)
                {
                    break;
                }

                await Task.Delay(200);
            }

            Assert.Equal(HttpStatusCode.OK, status);
            string[] output;
            lock (lines)
            {
                output = [.. lines];
            }

            var passwordLines = output.Where(l => AdminPassword().IsMatch(l)).ToList();
            Assert.Single(passwordLines);
            var password = AdminPassword().Match(passwordLines[0]).Groups[1].Value;
            var login = await http.PostAsync("/api/auth/login", new StringContent($"{{\"username\":\"admin\",\"password\":\"{password}\"}}", System.Text.Encoding.UTF8, "application/json")).WaitAsync(TestTimeouts.Request);
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            // Kestrel's body limit (1 MiB by default) answers before any parsing happens.
            var huge = await http.PostAsync("/api/auth/login", new StringContent("{\"username\":\"" + new string('x', 2 * 1024 * 1024) + "\"}", System.Text.Encoding.UTF8, "application/json")).WaitAsync(TestTimeouts.Request);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready").WaitAsync(TestTimeouts.Request)).StatusCode);
            var logs = System.IO.Directory.GetFiles(Path.Combine(data, "logs"));
            Assert.NotEmpty(logs);
            foreach (var log in logs)
            {
                using var reader = new StreamReader(new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
                Assert.DoesNotContain(password, await reader.ReadToEndAsync(), StringComparison.Ordinal);
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().WaitAsync(TestTimeouts.Request);
            try
            {
                System.IO.Directory.Delete(data, true);
            }
            catch (IOException)
            {
                // best effort
            }
        }
    }
}
