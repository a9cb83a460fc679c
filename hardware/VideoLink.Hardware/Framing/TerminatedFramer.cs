namespace VideoLink.Hardware.Framing;

/// <summary>
/// ASCII line protocols: PJLink (CR, PJLink spec §2.2), LG (replies end in 'x', commands in CR).
/// The frame excludes the terminator; leading CR/LF/space left over from a previous line is skipped.
/// </summary>
public sealed class TerminatedFramer : IFrameDecoder
{
    private readonly byte[] _terminators;

    /// <summary>Creates a framer ending frames at any of <paramref name="terminators"/>.</summary>
    public TerminatedFramer(int maxFrameLength, params byte[] terminators)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxFrameLength);
        ArgumentNullException.ThrowIfNull(terminators);
        MaxFrameLength = maxFrameLength;
        _terminators = terminators;
    }

    /// <summary>PJLink: CR-terminated, at most 136 bytes (class 1 response limit).</summary>
    public static TerminatedFramer PjLink { get; } = new(136, (byte)'\r');

    /// <summary>LG RS-232C replies (<c>a 01 OK01x</c>) end in 'x'.</summary>
    public static TerminatedFramer LgReply { get; } = new(32, (byte)'x');

    /// <summary>LG RS-232C commands (<c>ka 01 01\r</c>) end in CR; 'x' starts some of them (<c>xb</c>).</summary>
    public static TerminatedFramer LgCommand { get; } = new(32, (byte)'\r');

    /// <inheritdoc />
    public int MaxFrameLength { get; }

    /// <inheritdoc />
    public bool TryReadFrame(ReadOnlySpan<byte> buffer, out Range frame, out int consumed)
    {
        int start = 0;
        while (start < buffer.Length && buffer[start] is (byte)'\r' or (byte)'\n' or (byte)' ' or 0)
        {
            start++;
        }

        int end = buffer[start..].IndexOfAny(_terminators);
        if (end < 0)
        {
            frame = default;
            consumed = buffer.Length - start > MaxFrameLength ? buffer.Length : start;
            return false;
        }

        end += start;
        frame = start..end;
        consumed = end + 1;
        return true;
    }
}
