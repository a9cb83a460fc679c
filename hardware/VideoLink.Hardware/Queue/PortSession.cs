using VideoLink.Hardware.Transport;

namespace VideoLink.Hardware.Queue;

/// <summary>
/// What a connect-time handshake may do on a fresh link before queued requests flow: write bytes,
/// read frames, and ask that the next request be prefixed (PJLink's MD5 digest).
/// </summary>
public sealed class PortSession
{
    private readonly DevicePort _port;
    private readonly CancellationToken _connectionToken;

    internal PortSession(DevicePort port, CancellationToken connectionToken)
    {
        _port = port;
        _connectionToken = connectionToken;
    }

    /// <summary>Writes raw bytes.</summary>
    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        _port.Transport.WriteAsync(data, cancellationToken);

    /// <summary>Reads the next frame, or <c>null</c> after <paramref name="timeout"/>.</summary>
    /// <exception cref="TransportClosedException">The link was lost.</exception>
    public Task<byte[]?> ReadFrameAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _port.ReadFrameAsync(timeout, _connectionToken, cancellationToken);

    /// <summary>Bytes to put in front of the next request's payload, once.</summary>
    public void SetNextPayloadPrefix(ReadOnlyMemory<byte> prefix) => _port.NextPayloadPrefix = prefix;
}
