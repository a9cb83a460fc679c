namespace VideoLink.Hardware.Framing;

/// <summary>
/// Accumulates received bytes and hands out whole frames through an <see cref="IFrameDecoder"/>.
/// Not thread-safe: one reader owns it.
/// </summary>
public sealed class FrameBuffer
{
    private readonly IFrameDecoder _decoder;
    private byte[] _buffer;
    private int _start;
    private int _end;

    /// <summary>Creates a buffer for <paramref name="decoder"/>.</summary>
    public FrameBuffer(IFrameDecoder decoder)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        _decoder = decoder;
        _buffer = new byte[Math.Max(256, decoder.MaxFrameLength * 2)];
    }

    /// <summary>Bytes dropped as garbage since creation.</summary>
    public long DiscardedBytes { get; private set; }

    /// <summary>Bytes held that are not yet a frame.</summary>
    public int Buffered => _end - _start;

    /// <summary>Space to read into; call <see cref="Commit"/> with the count read.</summary>
    public Memory<byte> GetWriteMemory(int sizeHint = 512)
    {
        if (_start > 0 && _buffer.Length - _end < sizeHint)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_buffer.Length - _end < sizeHint)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _end + sizeHint));
        }

        return _buffer.AsMemory(_end);
    }

    /// <summary>Marks <paramref name="count"/> bytes written into <see cref="GetWriteMemory"/>.</summary>
    public void Commit(int count) => _end += count;

    /// <summary>Copies <paramref name="data"/> in.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        data.CopyTo(GetWriteMemory(data.Length).Span);
        Commit(data.Length);
    }

    /// <summary>Takes the next whole frame, or returns <c>false</c> until more bytes arrive.</summary>
    public bool TryTakeFrame(out byte[] frame)
    {
        while (_end > _start)
        {
            var span = _buffer.AsSpan(_start, _end - _start);
            if (_decoder.TryReadFrame(span, out var range, out int consumed))
            {
                var (offset, length) = range.GetOffsetAndLength(span.Length);
                DiscardedBytes += offset;
                frame = span.Slice(offset, length).ToArray();
                _start += consumed;
                return true;
            }

            if (consumed > 0)
            {
                DiscardedBytes += consumed;
                _start += consumed;
                continue;
            }

            if (span.Length > _decoder.MaxFrameLength * 4)
            {
                // A decoder that keeps asking for more while garbage piles up: drop one byte and resync.
                DiscardedBytes++;
                _start++;
                continue;
            }

            break;
        }

        if (_start == _end)
        {
            _start = _end = 0;
        }

        frame = [];
        return false;
    }

    /// <summary>Drops everything buffered (after a reconnect).</summary>
    public void Clear() => _start = _end = 0;
}
