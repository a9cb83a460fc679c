namespace VideoLink.Hardware.Simulators.Hosting;

/// <summary>A misbehaviour to play on the next received frame (see <see cref="DeviceSimulator.EnqueueFault"/>).</summary>
public enum SimulatorFault
{
    /// <summary>Answer normally.</summary>
    None,

    /// <summary>Swallow the frame: no reply at all.</summary>
    NoReply,

    /// <summary>Send garbage bytes, then the normal reply.</summary>
    Garbage,

    /// <summary>Device is busy: VISCA <c>90 60 03 FF</c>, PJLink <c>ERR3</c>, MDC NAK.</summary>
    BufferFull,

    /// <summary>Answer the ACK now and the completion after <see cref="DeviceSimulator.SlowCompletionDelay"/>.</summary>
    SlowCompletion,

    /// <summary>VISCA: a completion for a socket with no command in it, before the real ACK.</summary>
    StrayCompletion,

    /// <summary>Refuse: VISCA "not executable" <c>90 61 41 FF</c>, MDC NAK, PJLink ERR2.</summary>
    NotExecutable,

    /// <summary>Acknowledge but do not change state (a panel still booting): the reconciler must re-send.</summary>
    IgnoreCommand,

    /// <summary>Pull the plug: kill socat / close the sockets.</summary>
    Unplug,
}
