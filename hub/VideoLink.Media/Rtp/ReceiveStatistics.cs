namespace VideoLink.Media.Rtp;

/// <summary>
/// Reception statistics of one incoming RTP stream, as RFC 3550 Appendix A.1/A.3/A.8 define them: extended highest
/// sequence number, cumulative and interval loss (true loss, duplicates counted as the RFC says), interarrival
/// jitter, and the LSR/DLSR pair from the sender's last SR. Feeds receiver reports back to the publisher.
/// Not thread-safe: updated on the peer's receive path.
/// </summary>
internal sealed class ReceiveStatistics
{
    private readonly int _clockRate;
    private bool _started;
    private ushort _maxSequence;
    private uint _cycles;
    private uint _baseSequence;
    private long _received;
    private long _expectedPrior;
    private long _receivedPrior;
    private long _lastTransit;
    private double _jitter;
    private uint _lastSrMiddle;
    private long _lastSrArrivalMs;

    public ReceiveStatistics(uint ssrc, int clockRate)
    {
        Ssrc = ssrc;
        _clockRate = clockRate;
    }

    public uint Ssrc { get; }

    public long Received => _received;

    public uint ExtendedHighestSequence => _cycles + _maxSequence;

    /// <summary>
    /// Records one authenticated packet; <paramref name="arrivalMs"/> is a monotonic clock in milliseconds.
    /// Returns how many sequence numbers were skipped just before this one (0 when in order), so the caller can NACK.
    /// </summary>
    public int OnPacket(ushort sequence, uint rtpTimestamp, long arrivalMs)
    {
        var skipped = 0;
        if (!_started)
        {
            _started = true;
            _maxSequence = sequence;
            _baseSequence = sequence;
        }
        else
        {
            var delta = (ushort)(sequence - _maxSequence);
            if (delta is > 0 and < 0x8000)
            {
                skipped = delta - 1;
                if (sequence < _maxSequence)
                {
                    _cycles += 0x1_0000; // wrapped (RFC 3550 A.1)
                }

                _maxSequence = sequence;
            }
        }

        _received++;

        // RFC 3550 A.8: J += (|D| - J) / 16, D in timestamp units.
        var arrival = arrivalMs * _clockRate / 1000;
        var transit = arrival - rtpTimestamp;
        if (_received > 1)
        {
            var d = Math.Abs(transit - _lastTransit);
            _jitter += (d - _jitter) / 16.0;
        }

        _lastTransit = transit;
        return skipped;
    }

    /// <summary>Remembers the middle 32 bits of an SR's NTP timestamp for LSR (RFC 3550 §6.4.1).</summary>
    public void OnSenderReport(ulong ntpTimestamp, long arrivalMs)
    {
        _lastSrMiddle = (uint)(ntpTimestamp >> 16);
        _lastSrArrivalMs = arrivalMs;
    }

    /// <summary>Builds the report block and starts a new reporting interval (RFC 3550 A.3).</summary>
    public RtcpReportBlock TakeReportBlock(long nowMs)
    {
        var extendedMax = (long)ExtendedHighestSequence;
        var expected = extendedMax - _baseSequence + 1;
        var lost = expected - _received;
        var expectedInterval = expected - _expectedPrior;
        var receivedInterval = _received - _receivedPrior;
        _expectedPrior = expected;
        _receivedPrior = _received;
        var lostInterval = expectedInterval - receivedInterval;
        var fraction = expectedInterval == 0 || lostInterval <= 0 ? (byte)0 : (byte)((lostInterval << 8) / expectedInterval);
        var clampedLost = (int)Math.Clamp(lost, -0x80_0000, 0x7F_FFFF);
        var dlsr = _lastSrArrivalMs == 0 ? 0u : (uint)((nowMs - _lastSrArrivalMs) * 65536 / 1000);
        return new RtcpReportBlock(Ssrc, fraction, clampedLost, (uint)extendedMax, (uint)_jitter, _lastSrMiddle, dlsr);
    }
}
