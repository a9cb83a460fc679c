namespace VideoLink.Media.Rtp;

/// <summary>
/// Turns packets from whichever source is currently forwarded into one continuous outgoing stream: fixed SSRC,
/// gap-free sequence numbers and a monotonic timestamp across source switches (what the router needs for 主会场 /
/// 轮巡 switching; the receiver sees one stream, RFC 7667 §3.7 "media switching mixer"). The header is rewritten
/// to the 12-byte fixed part (the source's extensions carry ids negotiated with the source, not the receiver).
/// Not thread-safe: one rewriter per outgoing stream, used from the receive loop.
/// </summary>
internal sealed class RtpStreamRewriter
{
    private readonly uint _outputSsrc;
    private readonly byte _outputPayloadType;
    private readonly uint _switchTimestampGap;
    private uint _currentSource;
    private bool _hasSource;
    private bool _started;
    private ushort _sequenceOffset;
    private uint _timestampOffset;
    private ushort _lastOutputSequence;
    private uint _lastOutputTimestamp;
    private ushort _highestInputSequence;

    /// <param name="outputSsrc">SSRC announced to the receiver in its answer.</param>
    /// <param name="outputPayloadType">Payload type the receiver negotiated for this codec.</param>
    /// <param name="switchTimestampGap">Timestamp step inserted at a switch (e.g. 3000 = one 30 fps frame at 90 kHz).</param>
    public RtpStreamRewriter(uint outputSsrc, byte outputPayloadType, uint switchTimestampGap)
    {
        _outputSsrc = outputSsrc;
        _outputPayloadType = outputPayloadType;
        _switchTimestampGap = switchTimestampGap;
    }

    public uint OutputSsrc => _outputSsrc;

    /// <summary>True when the next packet from a new source starts a switch (the router should ask for a keyframe).</summary>
    public bool IsSwitchPending(uint sourceSsrc) => !_hasSource || sourceSsrc != _currentSource;

    /// <summary>Writes the rewritten packet to <paramref name="output"/>; returns its length or -1 if malformed.</summary>
    public int Rewrite(ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (!RtpHeader.TryParse(input, out var header))
        {
            return -1;
        }

        var payload = input[header.HeaderLength..]; // padding kept as is, with the P bit
        if (output.Length < RtpHeader.FixedLength + payload.Length)
        {
            return -1;
        }

        if (!_hasSource || header.Ssrc != _currentSource)
        {
            // A new source: continue right after what the receiver saw last.
            _currentSource = header.Ssrc;
            _hasSource = true;
            var nextSequence = _started ? (ushort)(_lastOutputSequence + 1) : header.SequenceNumber;
            var nextTimestamp = _started ? _lastOutputTimestamp + _switchTimestampGap : header.Timestamp;
            _sequenceOffset = (ushort)(nextSequence - header.SequenceNumber);
            _timestampOffset = nextTimestamp - header.Timestamp;
            _highestInputSequence = header.SequenceNumber;
        }

        var sequence = (ushort)(header.SequenceNumber + _sequenceOffset);
        var timestamp = header.Timestamp + _timestampOffset;
        RtpWriter.WriteHeader(output, header.Marker, _outputPayloadType, sequence, timestamp, _outputSsrc);
        if (header.Padding)
        {
            output[0] |= 0x20;
        }

        payload.CopyTo(output[RtpHeader.FixedLength..]);

        // Track the newest output for the next switch; reordered older packets do not move it back.
        if (!_started || (short)(header.SequenceNumber - _highestInputSequence) >= 0)
        {
            _highestInputSequence = header.SequenceNumber;
            _lastOutputSequence = sequence;
            _lastOutputTimestamp = timestamp;
        }

        _started = true;
        PacketsWritten++;
        OctetsWritten += (uint)header.PayloadLength;
        return RtpHeader.FixedLength + payload.Length;
    }

    /// <summary>Packets and payload octets written, for the sender reports of the output stream (RFC 3550 §6.4.1).</summary>
    public uint PacketsWritten { get; private set; }

    public uint OctetsWritten { get; private set; }

    /// <summary>
    /// Maps a timestamp of the current source onto the output timeline, so the source's sender report can be
    /// re-issued for the output stream (receivers need SRs for lip sync).
    /// </summary>
    public bool TryTranslateTimestamp(uint sourceSsrc, uint sourceTimestamp, out uint outputTimestamp)
    {
        outputTimestamp = sourceTimestamp + _timestampOffset;
        return _hasSource && sourceSsrc == _currentSource;
    }

    /// <summary>Maps an RTCP feedback's media SSRC on the output stream back to the current source (for PLI/FIR/NACK relay).</summary>
    public bool TryMapToSource(uint mediaSsrc, out uint sourceSsrc)
    {
        sourceSsrc = _currentSource;
        return _hasSource && mediaSsrc == _outputSsrc;
    }

    /// <summary>Maps a sequence number as the receiver saw it back to the source's (for NACK relay).</summary>
    public ushort ToSourceSequence(ushort outputSequence) => (ushort)(outputSequence - _sequenceOffset);
}
