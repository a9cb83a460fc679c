using VideoLink.Hardware.Queue;

namespace VideoLink.Hardware.Devices;

/// <summary>Pan/tilt motion direction.</summary>
public enum PanTiltDirection
{
    /// <summary>Stop motion.</summary>
    Stop,

    /// <summary>Tilt up.</summary>
    Up,

    /// <summary>Tilt down.</summary>
    Down,

    /// <summary>Pan left.</summary>
    Left,

    /// <summary>Pan right.</summary>
    Right,

    /// <summary>Up and left.</summary>
    UpLeft,

    /// <summary>Up and right.</summary>
    UpRight,

    /// <summary>Down and left.</summary>
    DownLeft,

    /// <summary>Down and right.</summary>
    DownRight,
}

/// <summary>Zoom motion.</summary>
public enum ZoomDirection
{
    /// <summary>Stop zooming.</summary>
    Stop,

    /// <summary>Zoom in.</summary>
    Tele,

    /// <summary>Zoom out.</summary>
    Wide,
}

/// <summary>Power as a device reports it.</summary>
public enum PowerState
{
    /// <summary>Not known (no answer yet).</summary>
    Unknown,

    /// <summary>On.</summary>
    On,

    /// <summary>Off or standby.</summary>
    Off,

    /// <summary>Projector lamp warming up.</summary>
    WarmingUp,

    /// <summary>Projector cooling down.</summary>
    Cooling,

    /// <summary>The device reports a fault.</summary>
    Fault,
}

/// <summary>A power query's outcome.</summary>
public sealed record PowerQueryResult(DeviceResult Result, PowerState State);

/// <summary>Anything the station agent drives.</summary>
public interface IDevice : IAsyncDisposable
{
    /// <summary>Health of the link and the device.</summary>
    DeviceHealth Health { get; }

    /// <summary>When the device last answered.</summary>
    DateTimeOffset? LastSeen { get; }

    /// <summary>Raised on health changes.</summary>
    event EventHandler<DeviceHealthChangedEventArgs>? HealthChanged;

    /// <summary>Opens the link (in the background for persistent links) and starts listening.</summary>
    Task StartAsync(CancellationToken cancellationToken);
}

/// <summary>A PTZ camera.</summary>
public interface ICamera : IDevice
{
    /// <summary>Power on or to standby.</summary>
    Task<DeviceResult> SetPowerAsync(bool on, CancellationToken cancellationToken);

    /// <summary>Starts moving; <paramref name="speedPercent"/> 1–100 maps onto the model's speed range.</summary>
    Task<DeviceResult> PanTiltAsync(PanTiltDirection direction, int speedPercent, CancellationToken cancellationToken);

    /// <summary>Stops pan/tilt (high priority).</summary>
    Task<DeviceResult> StopAsync(CancellationToken cancellationToken);

    /// <summary>Zooms.</summary>
    Task<DeviceResult> ZoomAsync(ZoomDirection direction, CancellationToken cancellationToken);

    /// <summary>Moves to a stored preset.</summary>
    Task<DeviceResult> RecallPresetAsync(int preset, CancellationToken cancellationToken);

    /// <summary>Stores the current position as a preset.</summary>
    Task<DeviceResult> SetPresetAsync(int preset, CancellationToken cancellationToken);

    /// <summary>Moves home.</summary>
    Task<DeviceResult> HomeAsync(CancellationToken cancellationToken);

    /// <summary>Asks for the power state.</summary>
    Task<PowerQueryResult> QueryPowerAsync(CancellationToken cancellationToken);
}

/// <summary>A display or projector.</summary>
public interface IDisplay : IDevice
{
    /// <summary>Power on or off.</summary>
    Task<DeviceResult> SetPowerAsync(bool on, CancellationToken cancellationToken);

    /// <summary>Selects an input by its name in the model table (<c>HDMI1</c>, <c>HDMI2</c>, <c>DP1</c>…).</summary>
    Task<DeviceResult> SelectInputAsync(string input, CancellationToken cancellationToken);

    /// <summary>Sets volume 0–100.</summary>
    Task<DeviceResult> SetVolumeAsync(int volume, CancellationToken cancellationToken);

    /// <summary>Mutes or unmutes.</summary>
    Task<DeviceResult> SetMuteAsync(bool muted, CancellationToken cancellationToken);

    /// <summary>Asks for the power state.</summary>
    Task<PowerQueryResult> QueryPowerAsync(CancellationToken cancellationToken);
}

/// <summary>A relay output (tally lamp, door, "in consultation" lamp).</summary>
public interface IRelay : IDevice
{
    /// <summary>Switches the relay.</summary>
    Task<DeviceResult> SetAsync(bool on, CancellationToken cancellationToken);
}

/// <summary>Something that reads cards (ID card, EM4100, keyboard-wedge reader).</summary>
public interface ICardReader : IDevice
{
    /// <summary>Raised once per card presentation (repeats while the card stays are suppressed).</summary>
    event EventHandler<CardReadEventArgs>? CardRead;
}

/// <summary>Call buttons, satisfaction keys.</summary>
public interface IButtonSource : IDevice
{
    /// <summary>Raised on each press.</summary>
    event EventHandler<ButtonPressedEventArgs>? ButtonPressed;
}

/// <summary>A button press with the name from the key mapping.</summary>
public sealed class ButtonPressedEventArgs(string button, DateTimeOffset at) : EventArgs
{
    /// <summary>Mapped name, e.g. <c>call</c>, <c>satisfied</c>.</summary>
    public string Button { get; } = button;

    /// <summary>Device-side time.</summary>
    public DateTimeOffset At { get; } = at;
}

/// <summary>A card presentation.</summary>
public sealed class CardReadEventArgs(CardIdentity card, DateTimeOffset at) : EventArgs
{
    /// <summary>Who or what was read.</summary>
    public CardIdentity Card { get; } = card;

    /// <summary>Device-side time.</summary>
    public DateTimeOffset At { get; } = at;
}
