using Microsoft.Extensions.Logging;
using VideoLink.Hardware.Devices;
using VideoLink.Hardware.Models;
using VideoLink.Hardware.Queue;
using VideoLink.Hardware.Serial;

namespace VideoLink.Hardware.PelcoD;

/// <summary>Pelco-D camera settings.</summary>
public sealed record PelcoDCameraOptions
{
    /// <summary>Receiver address 1–255 (DIP switches on the camera).</summary>
    public int Address { get; init; } = 1;

    /// <summary>Model id in <c>models.json</c>.</summary>
    public string? Model { get; init; }

    /// <summary>Preset recalled by <see cref="PelcoDCamera.HomeAsync"/> (Pelco-D has no home command).</summary>
    public int HomePreset { get; init; } = 1;

    /// <summary>Queue policy; Pelco-D never answers, so only ordering and link recovery matter.</summary>
    public DevicePortOptions Port { get; init; } = new();
}

/// <summary>
/// A Pelco-D camera or decoder (Pelco D protocol manual): write-only, so a command's success means
/// "written to the line". Speeds 00–3F; presets via Set/Call Preset (<c>00 03</c> / <c>00 07</c>).
/// </summary>
public sealed class PelcoDCamera : PortDevice, ICamera
{
    private readonly byte _address;
    private readonly CameraModel _model;
    private readonly int _homePreset;

    private PelcoDCamera(DevicePort port, PelcoDCameraOptions options)
        : base(port)
    {
        _address = (byte)options.Address;
        _model = DeviceModels.Default.Camera(options.Model, "generic-pelco-d");
        _homePreset = options.HomePreset;
    }

    /// <summary>Camera on a serial line (2400–9600 8N1 usually).</summary>
    public static PelcoDCamera CreateSerial(SerialPortSettings serial, PelcoDCameraOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Address is < 1 or > 255)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Address, "A Pelco-D address is 1–255.");
        }

        var port = new DevicePort(new SerialPortTransport(serial), PelcoDFramer.Instance, options.Port, logger);
        return new PelcoDCamera(port, options);
    }

    /// <inheritdoc />
    public Task<DeviceResult> SetPowerAsync(bool on, CancellationToken cancellationToken) =>
        SendAsync(on ? "PowerOn" : "PowerOff", Build(on ? (byte)0x88 : (byte)0x08, 0, 0, 0), on ? RequestPriority.Normal : RequestPriority.High, cancellationToken);

    /// <inheritdoc />
    public Task<DeviceResult> PanTiltAsync(PanTiltDirection direction, int speedPercent, CancellationToken cancellationToken)
    {
        // Command 2 bits (Pelco D manual): 02 right, 04 left, 08 up, 10 down; data1 pan speed, data2 tilt speed.
        byte bits = direction switch
        {
            PanTiltDirection.Right => 0x02,
            PanTiltDirection.Left => 0x04,
            PanTiltDirection.Up => 0x08,
            PanTiltDirection.Down => 0x10,
            PanTiltDirection.UpLeft => 0x0C,
            PanTiltDirection.UpRight => 0x0A,
            PanTiltDirection.DownLeft => 0x14,
            PanTiltDirection.DownRight => 0x12,
            _ => 0x00,
        };
        byte pan = (bits & 0x06) != 0 ? (byte)CameraModel.ScaleSpeed(speedPercent, _model.MaxPanSpeed) : (byte)0;
        byte tilt = (bits & 0x18) != 0 ? (byte)CameraModel.ScaleSpeed(speedPercent, _model.MaxTiltSpeed) : (byte)0;
        var priority = bits == 0 ? RequestPriority.High : RequestPriority.Normal;
        return SendAsync($"PanTilt({direction})", Build(0, bits, pan, tilt), priority, cancellationToken);
    }

    /// <inheritdoc />
    public Task<DeviceResult> StopAsync(CancellationToken cancellationToken) =>
        SendAsync("Stop", Build(0, 0, 0, 0), RequestPriority.High, cancellationToken);

    /// <inheritdoc />
    public Task<DeviceResult> ZoomAsync(ZoomDirection direction, CancellationToken cancellationToken)
    {
        byte bits = direction switch { ZoomDirection.Tele => 0x20, ZoomDirection.Wide => 0x40, _ => 0x00 };
        return SendAsync($"Zoom({direction})", Build(0, bits, 0, 0), bits == 0 ? RequestPriority.High : RequestPriority.Normal, cancellationToken);
    }

    /// <inheritdoc />
    public Task<DeviceResult> RecallPresetAsync(int preset, CancellationToken cancellationToken) =>
        PresetInRange(preset)
            ? SendAsync($"RecallPreset({preset})", Build(0, 0x07, 0, (byte)preset), RequestPriority.Normal, cancellationToken)
            : Task.FromResult(DeviceResult.Unsupported($"preset {preset} is outside {_model.MinPreset}–{_model.MaxPreset}"));

    /// <inheritdoc />
    public Task<DeviceResult> SetPresetAsync(int preset, CancellationToken cancellationToken) =>
        PresetInRange(preset)
            ? SendAsync($"SetPreset({preset})", Build(0, 0x03, 0, (byte)preset), RequestPriority.Normal, cancellationToken)
            : Task.FromResult(DeviceResult.Unsupported($"preset {preset} is outside {_model.MinPreset}–{_model.MaxPreset}"));

    /// <inheritdoc />
    public Task<DeviceResult> HomeAsync(CancellationToken cancellationToken) => RecallPresetAsync(_homePreset, cancellationToken);

    /// <inheritdoc />
    public Task<PowerQueryResult> QueryPowerAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new PowerQueryResult(DeviceResult.Unsupported("Pelco-D has no power inquiry"), PowerState.Unknown));

    private bool PresetInRange(int preset) => preset >= _model.MinPreset && preset <= _model.MaxPreset;

    private Task<DeviceResult> SendAsync(string name, byte[] message, RequestPriority priority, CancellationToken cancellationToken) =>
        SendAsync(name, message, priority, classify: null, cancellationToken);

    private byte[] Build(byte command1, byte command2, byte data1, byte data2) =>
        PelcoDFramer.Build(_address, command1, command2, data1, data2);
}
