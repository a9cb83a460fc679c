namespace VideoLink.Hardware.Queue;

/// <summary>Device status as shown to staff.</summary>
public enum DeviceHealth
{
    /// <summary>Not heard from yet.</summary>
    Unknown,

    /// <summary>Answering.</summary>
    Ok,

    /// <summary>Several consecutive timeouts, or a one-off problem.</summary>
    Warning,

    /// <summary>Unreachable: link lost or many consecutive timeouts.</summary>
    Failed,
}

/// <summary>Raised when a port's health changes.</summary>
public sealed class DeviceHealthChangedEventArgs(DeviceHealth health, string? reason) : EventArgs
{
    /// <summary>The new health.</summary>
    public DeviceHealth Health { get; } = health;

    /// <summary>Why, when not Ok.</summary>
    public string? Reason { get; } = reason;
}

/// <summary>A frame that no request claimed (card swipe, VISCA network change, late reply).</summary>
public sealed class DeviceFrameEventArgs(ReadOnlyMemory<byte> frame) : EventArgs
{
    /// <summary>The whole frame as the framer cut it.</summary>
    public ReadOnlyMemory<byte> Frame { get; } = frame;
}
