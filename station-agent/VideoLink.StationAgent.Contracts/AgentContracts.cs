namespace VideoLink.StationAgent.Contracts;

/// <summary>
/// The wire contract between the hub's <c>/hubs/agent</c> SignalR hub and the station agent (JSON hub protocol,
/// camelCase). Both sides compile against these types so they cannot drift apart.
/// </summary>
public static class AgentHubMethods
{
    public const string Path = "/hubs/agent";

    // agent → hub
    public const string ReportDevices = "ReportDevices";
    public const string UploadCheckIns = "UploadCheckIns";

    // hub → agent (client results: the hub awaits the agent's answer)
    public const string ExecuteCommand = "ExecuteCommand";
    public const string Prepare = "Prepare";
}

public enum DeviceHealth
{
    Unknown,
    Ok,
    Warning,
    Failed,
}

/// <summary>One device's state as the agent sees it. <see cref="Code"/> is the device id in the agent's config.</summary>
public sealed record DeviceStatusReport(string Code, string Kind, string Driver, DeviceHealth Health, string? Detail, DateTimeOffset ObservedAt, IReadOnlyDictionary<string, string>? State);

public static class DeviceActions
{
    public const string PowerOn = "PowerOn";
    public const string PowerOff = "PowerOff";
    public const string RecallPreset = "RecallPreset";
    public const string SetPreset = "SetPreset";
    public const string PanTilt = "PanTilt";
    public const string Stop = "Stop";
    public const string Zoom = "Zoom";
    public const string SelectInput = "SelectInput";
    public const string SetVolume = "SetVolume";
    public const string RelayOn = "RelayOn";
    public const string RelayOff = "RelayOff";

    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        PowerOn, PowerOff, RecallPreset, SetPreset, PanTilt, Stop, Zoom, SelectInput, SetVolume, RelayOn, RelayOff,
    };
}

/// <summary>
/// A command for one device. <see cref="Direction"/>: up, down, left, right, upleft, upright, downleft, downright, stop;
/// <see cref="ZoomMode"/>: tele, wide, stop; <see cref="Input"/>: HDMI1, HDMI2, DP1 …
/// </summary>
public sealed record DeviceCommand(string DeviceCode, string Action, int? Preset = null, string? Direction = null, int? Speed = null, string? ZoomMode = null, string? Input = null, int? Volume = null);

public enum CommandOutcome
{
    Ok,
    Unsupported,
    InvalidArgument,
    TimedOut,
    DeviceFailed,
    UnknownDevice,
}

public sealed record DeviceCommandResult(CommandOutcome Outcome, string? Detail, IReadOnlyDictionary<string, string>? State)
{
    public static DeviceCommandResult Ok(IReadOnlyDictionary<string, string>? state = null) => new(CommandOutcome.Ok, null, state);
}

/// <summary>One journal entry uploaded from the agent's outbox; <see cref="Id"/> is the agent's UUID (idempotency key).</summary>
public sealed record CheckInUpload(Guid Id, string DeviceCode, string Method, string? PersonHash, string? PersonMasked, string? Detail, DateTimeOffset DeviceTime);

/// <summary>One step of a meeting preparation plan: which kind of device, which action, with which arguments.</summary>
public sealed record PreparationStep(string DeviceKind, string Action, int? Preset = null, string? Input = null, int? Volume = null);

/// <summary>"Prepare for room R at time T" (or release afterwards, with the release steps).</summary>
public sealed record PreparationRequest(string Purpose, string? RoomId, DateTimeOffset? At, IReadOnlyList<PreparationStep> Steps);

public sealed record PreparationResult(IReadOnlyList<PreparationStepResult> Steps);

public sealed record PreparationStepResult(string DeviceCode, string Action, CommandOutcome Outcome, string? Detail);
