namespace VideoLink.Hardware.Queue;

/// <summary>How a port keeps its link.</summary>
public enum ConnectionMode
{
    /// <summary>Keep the link open; re-open with back-off when it is lost (serial, MDC TCP, VISCA).</summary>
    Persistent,

    /// <summary>Connect when a burst of requests starts, close when idle (PJLink closes idle sockets after ~30 s).</summary>
    PerBurst,
}

/// <summary>Timing and retry policy of one <see cref="DevicePort"/>.</summary>
public sealed class DevicePortOptions
{
    /// <summary>Reply timeout: the 2 s per-packet timer mature VISCA drivers use.</summary>
    public static readonly TimeSpan DefaultReplyTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Attempts per request.</summary>
    public const int DefaultMaxAttempts = 3;

    /// <summary>Busy replies (buffer full) tolerated per request, on top of the attempts.</summary>
    public const int DefaultMaxBusyRetries = 10;

    /// <summary>Consecutive timeouts before the device is reported as Warning.</summary>
    public const int DefaultWarnAfterTimeouts = 4;

    /// <summary>Consecutive timeouts before the device is reported as Failed.</summary>
    public const int DefaultFailAfterTimeouts = 10;

    /// <summary>Reply timeout per attempt.</summary>
    public TimeSpan ReplyTimeout { get; init; } = DefaultReplyTimeout;

    /// <summary>Attempts per request.</summary>
    public int MaxAttempts { get; init; } = DefaultMaxAttempts;

    /// <summary>Busy replies tolerated per request.</summary>
    public int MaxBusyRetries { get; init; } = DefaultMaxBusyRetries;

    /// <summary>Consecutive timeouts before Warning.</summary>
    public int WarnAfterTimeouts { get; init; } = DefaultWarnAfterTimeouts;

    /// <summary>Consecutive timeouts before Failed.</summary>
    public int FailAfterTimeouts { get; init; } = DefaultFailAfterTimeouts;

    /// <summary>Link policy.</summary>
    public ConnectionMode Mode { get; init; } = ConnectionMode.Persistent;

    /// <summary>First re-open delay; doubles per failure.</summary>
    public TimeSpan ReconnectInitialDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest re-open delay.</summary>
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Open timeout.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>In <see cref="ConnectionMode.PerBurst"/>, close after this long without requests.</summary>
    public TimeSpan IdleCloseAfter { get; init; } = TimeSpan.FromSeconds(5);
}
