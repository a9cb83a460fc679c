using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using VideoLink.Hub.Tests.Infrastructure;
using Xunit.Abstractions;

namespace VideoLink.Hub.Tests.Rooms;

/// <summary>
/// The TURN credentials the hub hands out must open a real coturn (Debian coturn, started here with the TURN REST
/// shared-secret scheme): turnutils_uclient allocates a relay with them, and fails with a tampered password.
/// </summary>
public sealed class TurnCredentialsTests(ITestOutputHelper output)
{
    private const string Secret = "turn-test-secret-0123456789";

    private static int FreeUdpPort()
    {
        using var socket = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.Client.LocalEndPoint!).Port;
    }

    private static async Task<(int Exit, string Output)> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            process.Kill(true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    [Fact]
    public async Task IssuedCredentials_AllocateOnARealCoturn_AndATamperedOneDoesNot()
    {
        Assert.True(File.Exists("/usr/bin/turnserver"), "coturn is required (apt-get install coturn)");
        var port = FreeUdpPort();
        var turn = Process.Start(new ProcessStartInfo("/usr/bin/turnserver",
            ["-n", "--listening-ip=127.0.0.1", $"--listening-port={port}", "--relay-ip=127.0.0.1", "--use-auth-secret",
             $"--static-auth-secret={Secret}", "--realm=videolink", "--no-tls", "--no-dtls", "--no-cli", "--allow-loopback-peers",
             "--log-file=stdout", "--pidfile=", "--no-stdout-log"])
        { RedirectStandardOutput = true, RedirectStandardError = true })!;
        using var hub = HubFactory.With(new()
        {
            ["Turn:Urls:0"] = $"turn:127.0.0.1:{port}?transport=udp",
            ["Turn:Urls:1"] = $"stun:127.0.0.1:{port}",
            ["Turn:Secret"] = Secret,
        });
        try
        {
            var admin = await hub.LoginAsync();
            var ice = await admin.GetJsonAsync("/api/media/ice-servers");
            var servers = ice.GetProperty("iceServers").EnumerateArray().ToList();
            var withCredential = servers.Single(s => s.GetProperty("username").ValueKind == System.Text.Json.JsonValueKind.String);
            var username = withCredential.GetProperty("username").GetString()!;
            var credential = withCredential.GetProperty("credential").GetString()!;
            Assert.Matches(@"^\d+:[0-9a-f-]{36}$", username);
            Assert.Equal(2, servers.Count);

            // Peer address/port for the relay test: turnutils_uclient echoes through its own peer on -r.
            var peerPort = FreeUdpPort();
            var good = await RunAsync("/usr/bin/turnutils_uclient", "-u", username, "-w", credential, "-p", port.ToString(), "-e", "127.0.0.1", "-r", peerPort.ToString(), "-n", "2", "-m", "1", "-y", "127.0.0.1");
            var bad = await RunAsync("/usr/bin/turnutils_uclient", "-u", username, "-w", credential[..^4] + "AAA=", "-p", port.ToString(), "-e", "127.0.0.1", "-r", peerPort.ToString(), "-n", "2", "-m", "1", "-y", "127.0.0.1");
            output.WriteLine(good.Output[^Math.Min(600, good.Output.Length)..]);

            Assert.True(good.Exit == 0, good.Output);
            Assert.NotEqual(0, bad.Exit);
        }
        finally
        {
            turn.Kill(true);
            await turn.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            turn.Dispose();
        }
    }

    [Fact]
    public async Task WithoutTurnConfigured_IceServersIsEmpty()
    {
        using var hub = new HubFactory();

        var admin = await hub.LoginAsync();
        var ice = await admin.GetJsonAsync("/api/media/ice-servers");

        Assert.Equal(0, ice.GetProperty("iceServers").GetArrayLength());
        Assert.Equal(HttpStatusCode.Unauthorized, (await hub.CreateClient().GetAsync("/api/media/ice-servers")).StatusCode);
    }
}
