using VideoLink.Hardware.Devices;
using VideoLink.Hardware.Queue;
using VideoLink.StationAgent.Configuration;
using VideoLink.StationAgent.Contracts;
using VideoLink.StationAgent.Journal;
using VideoLink.StationAgent.Link;
using Health = VideoLink.StationAgent.Contracts.DeviceHealth;

namespace VideoLink.StationAgent.Devices;

/// <summary>
/// The site's devices: builds each driver from the config, keeps them running, turns hub commands into driver calls,
/// and writes every swipe and key press to the journal outbox before anything else happens. A failing device is
/// reported as status; it never stops the agent or the other devices.
/// </summary>
public sealed partial class DeviceHost(AgentConfig config, Outbox outbox, CredentialStore credentials, ILoggerFactory loggerFactory) : IStationCommands, IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<DeviceHost>();
    private readonly Dictionary<string, (DeviceConfig Config, IDevice Device)> _devices = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _power = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private Task _polling = Task.CompletedTask;

    /// <summary>Raised when a device's health changes (the link forwards it to the hub).</summary>
    public event Action<DeviceStatusReport>? StatusChanged;

    /// <summary>Raised after a journal entry is durably stored (the moment to give the person feedback).</summary>
    public event Action<CheckInUpload>? Journaled;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var configured in config.Devices)
        {
            var deviceConfig = configured;
            try
            {
                if (deviceConfig.HashSalt == AgentConfigLoader.FromHub)
                {
                    var salt = (await credentials.GetAsync(cancellationToken)).IdHashSalt
                        ?? throw new AgentConfigException("idHashSalt", "the hub did not hand over a salt; set idHashSalt in the config");
                    deviceConfig = deviceConfig with { HashSalt = salt };
                }

                var device = DeviceFactory.Create(deviceConfig, loggerFactory);
                _devices[deviceConfig.Id] = (deviceConfig, device);
                device.HealthChanged += (_, _) => StatusChanged?.Invoke(Report(deviceConfig, device));
                if (device is ICardReader reader)
                {
                    reader.CardRead += (_, e) => _ = JournalAsync(deviceConfig, CardMethod(e.Card.Kind), e.Card.Key, e.Card.Display, null, e.At);
                }

                if (device is IButtonSource buttons)
                {
                    var method = string.Equals(deviceConfig.Kind, "SatisfactionKeys", StringComparison.OrdinalIgnoreCase) ? "Rating" : "Button";
                    buttons.ButtonPressed += (_, e) => _ = JournalAsync(deviceConfig, method, null, null, e.Button, e.At);
                }

                await device.StartAsync(cancellationToken);
                LogStarted(_logger, deviceConfig.Id, deviceConfig.Driver);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogStartFailed(_logger, deviceConfig.Id, ex.Message);
            }
        }

        _polling = PollAsync(_stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    /// <summary>
    /// Asks cameras and displays for their power state every <c>pollSeconds</c>: keeps health and "last seen" live even
    /// when nobody sends commands, and reports what the device actually is (not what was last asked of it).
    /// </summary>
    private async Task PollAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(config.PollSeconds));
        try
        {
            do
            {
                foreach (var (code, (deviceConfig, device)) in _devices.ToList())
                {
                    PowerQueryResult? power = device switch
                    {
                        ICamera cam => await cam.QueryPowerAsync(cancellationToken),
                        IDisplay display => await display.QueryPowerAsync(cancellationToken),
                        _ => null,
                    };
                    if (power is { Result.IsSuccess: true } && (!_power.TryGetValue(code, out var previous) || previous != power.State.ToString()))
                    {
                        _power[code] = power.State.ToString();
                        StatusChanged?.Invoke(Report(deviceConfig, device));
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        catch (Exception ex)
        {
            LogCommandFailed(_logger, "*", "poll", ex.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync();
        }

        await _polling;
        foreach (var (_, device) in _devices.Values)
        {
            try
            {
                await device.DisposeAsync();
            }
            catch (Exception ex)
            {
                LogStopFailed(_logger, ex.Message);
            }
        }

        _devices.Clear();
    }

    public IReadOnlyList<DeviceStatusReport> Snapshot() => _devices.Values.Select(d => Report(d.Config, d.Device)).ToList();

    public async Task<DeviceCommandResult> ExecuteAsync(DeviceCommand command, CancellationToken cancellationToken)
    {
        if (!_devices.TryGetValue(command.DeviceCode, out var entry))
        {
            return new DeviceCommandResult(CommandOutcome.UnknownDevice, $"No device '{command.DeviceCode}' at this site.", null);
        }

        try
        {
            var result = await RunAsync(entry.Device, command, cancellationToken);
            return result is null
                ? new DeviceCommandResult(CommandOutcome.Unsupported, $"{entry.Config.Driver} cannot {command.Action}.", null)
                : Map(result);
        }
        catch (ArgumentException ex)
        {
            return new DeviceCommandResult(CommandOutcome.InvalidArgument, ex.Message, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCommandFailed(_logger, command.DeviceCode, command.Action, ex.Message);
            return new DeviceCommandResult(CommandOutcome.DeviceFailed, ex.Message, null);
        }
    }

    /// <summary>Runs a preparation plan: each step on every device of that kind; a failing step is reported, not fatal.</summary>
    public async Task<PreparationResult> PrepareAsync(PreparationRequest request, CancellationToken cancellationToken)
    {
        var results = new List<PreparationStepResult>();
        foreach (var step in request.Steps)
        {
            foreach (var (code, entry) in _devices)
            {
                if (!string.Equals(KindOf(entry.Config, entry.Device), step.DeviceKind, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var outcome = await ExecuteAsync(new DeviceCommand(code, step.Action, step.Preset, Input: step.Input, Volume: step.Volume), cancellationToken);
                results.Add(new PreparationStepResult(code, step.Action, outcome.Outcome, outcome.Detail));
            }
        }

        return new PreparationResult(results);
    }

    private static async Task<DeviceResult?> RunAsync(IDevice device, DeviceCommand c, CancellationToken ct) => (device, c.Action) switch
    {
        (ICamera cam, DeviceActions.PowerOn) => await cam.SetPowerAsync(true, ct),
        (ICamera cam, DeviceActions.PowerOff) => await cam.SetPowerAsync(false, ct),
        (ICamera cam, DeviceActions.RecallPreset) => await cam.RecallPresetAsync(c.Preset ?? throw new ArgumentException("preset is required"), ct),
        (ICamera cam, DeviceActions.SetPreset) => await cam.SetPresetAsync(c.Preset ?? throw new ArgumentException("preset is required"), ct),
        (ICamera cam, DeviceActions.PanTilt) => await cam.PanTiltAsync(Direction(c.Direction), SpeedPercent(c.Speed), ct),
        (ICamera cam, DeviceActions.Stop) => await cam.StopAsync(ct),
        (ICamera cam, DeviceActions.Zoom) => await cam.ZoomAsync(Zoom(c.ZoomMode), ct),
        (IDisplay d, DeviceActions.PowerOn) => await d.SetPowerAsync(true, ct),
        (IDisplay d, DeviceActions.PowerOff) => await d.SetPowerAsync(false, ct),
        (IDisplay d, DeviceActions.SelectInput) => await d.SelectInputAsync(c.Input ?? throw new ArgumentException("input is required"), ct),
        (IDisplay d, DeviceActions.SetVolume) => await d.SetVolumeAsync(c.Volume ?? throw new ArgumentException("volume is required"), ct),
        (IRelay r, DeviceActions.RelayOn or DeviceActions.PowerOn) => await r.SetAsync(true, ct),
        (IRelay r, DeviceActions.RelayOff or DeviceActions.PowerOff) => await r.SetAsync(false, ct),
        _ => null,
    };

    private static PanTiltDirection Direction(string? d) => d switch
    {
        "up" => PanTiltDirection.Up,
        "down" => PanTiltDirection.Down,
        "left" => PanTiltDirection.Left,
        "right" => PanTiltDirection.Right,
        "upleft" => PanTiltDirection.UpLeft,
        "upright" => PanTiltDirection.UpRight,
        "downleft" => PanTiltDirection.DownLeft,
        "downright" => PanTiltDirection.DownRight,
        "stop" => PanTiltDirection.Stop,
        _ => throw new ArgumentException($"unknown direction '{d}'"),
    };

    private static ZoomDirection Zoom(string? z) => z switch
    {
        "tele" => ZoomDirection.Tele,
        "wide" => ZoomDirection.Wide,
        "stop" => ZoomDirection.Stop,
        _ => throw new ArgumentException($"unknown zoom '{z}'"),
    };

    /// <summary>The API speaks 1–24 (the widest VISCA pan range); drivers take a percentage of their own range.</summary>
    private static int SpeedPercent(int? speed) => Math.Clamp((int)Math.Round((speed ?? 12) * 100.0 / 24), 1, 100);

    private static DeviceCommandResult Map(DeviceResult r) => r.Status switch
    {
        DeviceResultStatus.Success => DeviceCommandResult.Ok(),
        DeviceResultStatus.Unsupported => new DeviceCommandResult(CommandOutcome.Unsupported, r.Error, null),
        DeviceResultStatus.TimedOut or DeviceResultStatus.Cancelled => new DeviceCommandResult(CommandOutcome.TimedOut, r.Error ?? "no reply", null),
        _ => new DeviceCommandResult(CommandOutcome.DeviceFailed, r.Error ?? r.Status.ToString(), null),
    };

    private static string CardMethod(CardKind kind) => kind == CardKind.ResidentIdCard ? "IdCard" : "IcCard";

    private static string KindOf(DeviceConfig config, IDevice device) => config.Kind ?? device switch
    {
        ICamera => "Camera",
        IDisplay => "Display",
        IRelay => "Relay",
        ICardReader => "CardReader",
        IButtonSource => "Button",
        _ => "Device",
    };

    private DeviceStatusReport Report(DeviceConfig config, IDevice device) => new(
        config.Id,
        KindOf(config, device),
        config.Driver,
        device.Health switch
        {
            Hardware.Queue.DeviceHealth.Ok => Health.Ok,
            Hardware.Queue.DeviceHealth.Warning => Health.Warning,
            Hardware.Queue.DeviceHealth.Failed => Health.Failed,
            _ => Health.Unknown,
        },
        null,
        device.LastSeen ?? DateTimeOffset.UtcNow,
        _power.TryGetValue(config.Id, out var power) ? new Dictionary<string, string> { ["power"] = power } : null);

    /// <summary>Durable first: the entry is on disk before <see cref="Journaled"/> lets anyone give feedback.</summary>
    private async Task JournalAsync(DeviceConfig device, string method, string? personHash, string? personMasked, string? detail, DateTimeOffset at)
    {
        var entry = new CheckInUpload(Guid.NewGuid(), device.Id, method, personHash, personMasked, detail, at);
        try
        {
            await outbox.AppendAsync(entry, CancellationToken.None);
            Journaled?.Invoke(entry);
        }
        catch (Exception ex)
        {
            LogJournalFailed(_logger, device.Id, ex.Message);
        }
    }

    [LoggerMessage(EventId = 2301, Level = LogLevel.Information, Message = "Device {Device} ({Driver}) started")]
    private static partial void LogStarted(ILogger logger, string device, string driver);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Error, Message = "Device {Device} could not start: {Reason}")]
    private static partial void LogStartFailed(ILogger logger, string device, string reason);

    [LoggerMessage(EventId = 2303, Level = LogLevel.Warning, Message = "Device {Device} {Action} failed: {Reason}")]
    private static partial void LogCommandFailed(ILogger logger, string device, string action, string reason);

    [LoggerMessage(EventId = 2304, Level = LogLevel.Critical, Message = "Could not journal an event from {Device}: {Reason}")]
    private static partial void LogJournalFailed(ILogger logger, string device, string reason);

    [LoggerMessage(EventId = 2305, Level = LogLevel.Warning, Message = "A device did not stop cleanly: {Reason}")]
    private static partial void LogStopFailed(ILogger logger, string reason);
}
