namespace VideoLink.Hardware.Framing;

/// <summary>
/// Splits a byte stream into protocol frames. Pure: no I/O, no state between calls, so the same
/// framer serves drivers, simulators and tests.
/// </summary>
public interface IFrameDecoder
{
    /// <summary>The longest frame this protocol allows; longer runs without a frame are garbage.</summary>
    int MaxFrameLength { get; }

    /// <summary>
    /// Looks for the first complete frame in <paramref name="buffer"/>.
    /// </summary>
    /// <param name="buffer">Bytes received so far and not yet consumed.</param>
    /// <param name="frame">On success, where the frame lies in <paramref name="buffer"/>.</param>
    /// <param name="consumed">
    /// On success, the bytes up to and including the frame (any garbage before it included). On
    /// <c>false</c>, the leading bytes that are garbage and can be dropped (resync); the rest may
    /// still become a frame.
    /// </param>
    /// <returns><c>true</c> for a frame; <c>false</c> means "need more bytes".</returns>
    bool TryReadFrame(ReadOnlySpan<byte> buffer, out Range frame, out int consumed);
}
