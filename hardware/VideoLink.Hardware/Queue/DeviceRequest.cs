namespace VideoLink.Hardware.Queue;

/// <summary>Queue order on one port: a Stop or PowerOff overtakes polling.</summary>
public enum RequestPriority
{
    /// <summary>Status polls and reconciler queries.</summary>
    Polling = 0,

    /// <summary>Ordinary commands (preset recall, input select).</summary>
    Normal = 1,

    /// <summary>Motion stop, power off: must not wait behind polling.</summary>
    High = 2,

    /// <summary>Bus recovery (VISCA address set after a chain change).</summary>
    Urgent = 3,
}

/// <summary>What one received frame means for the request in flight.</summary>
public enum ReplyKind
{
    /// <summary>Not an answer to this request (a stray completion, an event): passed on as unsolicited.</summary>
    Unrelated,

    /// <summary>Accepted, more to come (VISCA ACK): the reply timer restarts.</summary>
    Progress,

    /// <summary>The request is done.</summary>
    Success,

    /// <summary>Busy now (VISCA buffer full, PJLink ERR3): send the same bytes again after a pause.</summary>
    Retry,

    /// <summary>Refused for good (syntax, not executable, PJLink ERRA): no retry.</summary>
    Fatal,

    /// <summary>
    /// The link's session state is stale (VISCA over IP "sequence number abnormal"): re-open the link,
    /// run the handshake again, rebuild the payload and resend. Counts as an attempt.
    /// </summary>
    Resync,
}

/// <summary>The classification of one reply frame.</summary>
public readonly record struct ReplyVerdict(ReplyKind Kind, string? Reason, TimeSpan RetryAfter)
{
    /// <summary>Not for this request.</summary>
    public static ReplyVerdict Unrelated => new(ReplyKind.Unrelated, null, TimeSpan.Zero);

    /// <summary>Accepted, wait for completion.</summary>
    public static ReplyVerdict Progress => new(ReplyKind.Progress, null, TimeSpan.Zero);

    /// <summary>Done.</summary>
    public static ReplyVerdict Success => new(ReplyKind.Success, null, TimeSpan.Zero);

    /// <summary>Busy: resend after <paramref name="after"/>.</summary>
    public static ReplyVerdict Retry(string reason, TimeSpan after) => new(ReplyKind.Retry, reason, after);

    /// <summary>Refused.</summary>
    public static ReplyVerdict Fatal(string reason) => new(ReplyKind.Fatal, reason, TimeSpan.Zero);

    /// <summary>Session state stale: reconnect, handshake, rebuild and resend.</summary>
    public static ReplyVerdict Resync(string reason) => new(ReplyKind.Resync, reason, TimeSpan.Zero);
}

/// <summary>Decides what a reply frame means for one request.</summary>
public delegate ReplyVerdict ReplyClassifier(ReadOnlySpan<byte> frame);

/// <summary>One message to a device and how to judge its replies.</summary>
public sealed class DeviceRequest
{
    /// <summary>For logs and results, e.g. <c>RecallPreset(3)</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The exact bytes to write; resent unchanged on retry (VISCA over IP keeps its sequence number).</summary>
    public ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>
    /// Builds the payload just before the first write (after any connect handshake), for protocols
    /// that number packets; resends after a timeout reuse the built bytes, a <see cref="ReplyKind.Resync"/>
    /// builds them again. Overrides <see cref="Payload"/>.
    /// </summary>
    public Func<ReadOnlyMemory<byte>>? PayloadFactory { get; init; }

    /// <summary>Queue order.</summary>
    public RequestPriority Priority { get; init; } = RequestPriority.Normal;

    /// <summary>Reply timeout per attempt; restarted by a <see cref="ReplyKind.Progress"/> frame. Defaults to the port's.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Attempts before giving up on timeouts. Defaults to the port's.</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>Judges replies; <c>null</c> when the device never answers (Pelco-D, LCUS relay).</summary>
    public ReplyClassifier? Classify { get; init; }
}

/// <summary>How a request ended.</summary>
public enum DeviceResultStatus
{
    /// <summary>The device confirmed it.</summary>
    Success,

    /// <summary>The device refused it (fatal reply).</summary>
    Rejected,

    /// <summary>No (final) reply after every attempt.</summary>
    TimedOut,

    /// <summary>The link is down and did not come back in time.</summary>
    Disconnected,

    /// <summary>The caller or shutdown cancelled it.</summary>
    Cancelled,

    /// <summary>The device does not do this (no such command on this model or driver).</summary>
    Unsupported,
}

/// <summary>The outcome of a request: errors are values, not exceptions.</summary>
public sealed record DeviceResult(DeviceResultStatus Status, ReadOnlyMemory<byte> Reply, string? Error, int Attempts)
{
    /// <summary>True for <see cref="DeviceResultStatus.Success"/>.</summary>
    public bool IsSuccess => Status == DeviceResultStatus.Success;

    /// <summary>A result for an action the driver cannot do.</summary>
    public static DeviceResult Unsupported(string what) => new(DeviceResultStatus.Unsupported, ReadOnlyMemory<byte>.Empty, what, 0);

    /// <summary>A successful result without a reply.</summary>
    public static DeviceResult Done(int attempts = 1) => new(DeviceResultStatus.Success, ReadOnlyMemory<byte>.Empty, null, attempts);

    /// <inheritdoc />
    public override string ToString() => Error is null ? $"{Status} after {Attempts} attempt(s)" : $"{Status} after {Attempts} attempt(s): {Error}";
}
