using VideoLink.Hardware.Simulators.Demo;
using VideoLink.StationAgent.Configuration;
using VideoLink.StationAgent.Devices;
using VideoLink.StationAgent.Journal;
using VideoLink.StationAgent.Link;

namespace VideoLink.StationAgent;

/// <summary>Builds and runs the agent host; exit code 2 for a refused config.</summary>
public static class AgentProgram
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        var configPath = ArgValue(args, "--config");
        if (configPath is null)
        {
            await Console.Error.WriteLineAsync("usage: VideoLink.StationAgent --config FILE");
            return 2;
        }

        AgentConfig config;
        try
        {
            config = AgentConfigLoader.Load(configPath, out var warnings);
            foreach (var warning in warnings)
            {
                await Console.Error.WriteLineAsync($"{configPath}: warning: {warning}");
            }
        }
        catch (AgentConfigException ex)
        {
            await Console.Error.WriteLineAsync($"{configPath}: {ex.Field}: {ex.Reason}");
            return 2;
        }

        // --demo: every device is a simulator on a pty pair or loopback socket (hardware/…Simulators), so a
        // newcomer sees commands, status and swipes work end to end without any hardware.
        await using var demo = args.Contains("--demo") ? await DemoStation.StartAsync(cancellationToken) : null;
        if (demo is not null)
        {
            config.Devices = [.. demo.Configs.Select(d => d with { Id = DemoIds.GetValueOrDefault(d.Id, d.Id), HashSalt = d.HashSalt ?? config.IdHashSalt })];
            await Console.Out.WriteLineAsync($"demo: {config.Devices.Count} simulated devices ({string.Join(", ", config.Devices.Select(d => d.Id + "=" + d.Driver))})");
        }

        using var host = Build(config, args);
        await host.RunAsync(cancellationToken);
        return 0;
    }

    /// <summary>Demo devices take the codes the sample district gives a village kiosk, so the hub's commands find them.</summary>
    private static readonly Dictionary<string, string> DemoIds = new(StringComparer.Ordinal)
    {
        ["reader1"] = "icreader",
        ["idreader1"] = "idreader",
        ["button1"] = "callbtn",
        ["tally1"] = "lamp",
    };

    public static IHost Build(AgentConfig config, string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton(_ => new Outbox(config.DataDirectory));
        builder.Services.AddSingleton<DeviceHost>();
        builder.Services.AddSingleton<IStationCommands>(sp => sp.GetRequiredService<DeviceHost>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DeviceHost>());
        builder.Services.AddSingleton(new HttpClient { Timeout = TimeSpan.FromSeconds(30) });
        builder.Services.AddSingleton<CredentialStore>();
        builder.Services.AddSingleton<HubLink>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<HubLink>());
        builder.Services.AddHostedService<OutboxUploader>();
        builder.Services.AddHostedService<StatusForwarder>();
        return builder.Build();
    }

    private static string? ArgValue(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}

/// <summary>Forwards device health changes to the hub as they happen.</summary>
internal sealed class StatusForwarder(DeviceHost devices, HubLink link) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        devices.StatusChanged += Forward;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        devices.StatusChanged -= Forward;
        return Task.CompletedTask;
    }

    // Health events come from device loops; sending must not block them. A report lost while offline is
    // re-sent in full by HubLink after the next connect.
    private void Forward(Contracts.DeviceStatusReport report) => _ = SendAsync(report);

    private async Task SendAsync(Contracts.DeviceStatusReport report)
    {
        try
        {
            await link.ReportAsync([report], CancellationToken.None);
        }
        catch (Exception)
        {
            // Offline or closing: the snapshot after reconnect covers it.
        }
    }
}
