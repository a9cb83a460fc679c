namespace VideoLink.Hardware.Transport;

/// <summary>Where a byte link to one device stands.</summary>
public enum TransportState
{
    /// <summary>Never opened, or closed on purpose.</summary>
    Closed,

    /// <summary>An open is in progress.</summary>
    Opening,

    /// <summary>Bytes can flow.</summary>
    Open,

    /// <summary>The link was lost (unplugged, hang-up, connection reset); it may be opened again.</summary>
    Disconnected,
}

/// <summary>Raised when a transport changes state; <see cref="Error"/> explains a loss.</summary>
public sealed class TransportStateChangedEventArgs(TransportState state, Exception? error) : EventArgs
{
    /// <summary>The new state.</summary>
    public TransportState State { get; } = state;

    /// <summary>Why the link was lost, when it was.</summary>
    public Exception? Error { get; } = error;
}

/// <summary>
/// A byte link to one device: a serial port, a TCP connection or a connected UDP socket.
/// Framing, queuing and retries live above it (see <c>Framing</c> and <c>Queue</c>).
/// </summary>
public interface IDeviceTransport : IAsyncDisposable
{
    /// <summary>Human readable endpoint, e.g. <c>serial:/dev/ttyUSB0@9600,8N1</c> or <c>tcp:10.0.0.5:1515</c>.</summary>
    string Description { get; }

    /// <summary>The current state.</summary>
    TransportState State { get; }

    /// <summary>Raised on every state change (from any thread).</summary>
    event EventHandler<TransportStateChangedEventArgs>? StateChanged;

    /// <summary>Opens (or re-opens after a loss) the link.</summary>
    /// <exception cref="TransportException">The device is absent or refuses the connection.</exception>
    ValueTask OpenAsync(CancellationToken cancellationToken);

    /// <summary>Writes all of <paramref name="data"/>.</summary>
    /// <exception cref="TransportClosedException">The link is not open or was lost.</exception>
    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Waits for at least one byte (one datagram for UDP) and returns how many were copied.</summary>
    /// <exception cref="TransportClosedException">The link is not open or was lost.</exception>
    /// <exception cref="OperationCanceledException">The token fired (use it for read timeouts).</exception>
    ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>Closes the link on purpose; it can be opened again.</summary>
    ValueTask CloseAsync(CancellationToken cancellationToken);
}
