using System.Buffers.Binary;

namespace VideoLink.Hub.Conference;

/// <summary>A leg's live media figures as the console shows them.</summary>
public sealed record LegStatsView(double InboundKbps, double OutboundKbps, long PacketsReceived, long PacketsLost, double LossPercent, double JitterMs, double? RttMs, long KeyFramesRequested);

/// <summary>
/// Per-leg counters: bitrates in and out over the last report interval, packets lost (sequence gaps, RFC 3550 A.3),
/// interarrival jitter of the audio stream (RFC 3550 A.8, in ms) and round-trip time from the leg's receiver reports
/// about what we send it (RFC 3550 §6.4.1: now − LSR − DLSR, with LSR matched to our own SR send times).
/// </summary>
internal sealed class LegStatistics
{
    private readonly Lock _gate = new();
    private readonly Dictionary<uint, SequenceState> _streams = [];
    private readonly Dictionary<uint, long> _sentReports = [];
    private long _bytesIn;
    private long _bytesOut;
    private long _packetsIn;
    private long _lost;
    private double _jitter;
    private long _lastBytesIn;
    private long _lastBytesOut;
    private long _lastSnapshotTicks = Environment.TickCount64;
    private double _inKbps;
    private double _outKbps;
    private double? _rttMs;
    private long _keyFramesRequested;
    private long _expected;

    public void OnReceived(ReadOnlySpan<byte> rtp, bool video)
    {
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(rtp[8..]);
        var sequence = BinaryPrimitives.ReadUInt16BigEndian(rtp[2..]);
        var timestamp = BinaryPrimitives.ReadUInt32BigEndian(rtp[4..]);
        var now = Environment.TickCount64;
        lock (_gate)
        {
            _bytesIn += rtp.Length;
            _packetsIn++;
            if (!_streams.TryGetValue(ssrc, out var state))
            {
                if (_streams.Count >= 8)
                {
                    return;
                }

                state = new SequenceState { Highest = sequence, LastTransit = 0, Started = false };
                _streams[ssrc] = state;
            }

            if (state.Started)
            {
                var delta = (short)(sequence - state.Highest);
                if (delta > 0)
                {
                    _expected += delta;
                    _lost += delta - 1;
                    state.Highest = sequence;
                }
                else if (delta < 0 && _lost > 0)
                {
                    _lost--; // a late packet that was counted lost
                }
            }
            else
            {
                state.Started = true;
                _expected++;
            }

            if (!video)
            {
                // RFC 3550 A.8 at 8 kHz: transit in timestamp units.
                var transit = (now * 8) - timestamp;
                if (state.LastTransit != 0)
                {
                    var d = Math.Abs(transit - state.LastTransit);
                    _jitter += (d - _jitter) / 16.0;
                }

                state.LastTransit = transit;
            }
        }
    }

    public void OnSent(int bytes) => Interlocked.Add(ref _bytesOut, bytes);

    public void OnKeyFrameRequested() => Interlocked.Increment(ref _keyFramesRequested);

    /// <summary>Remembers when we sent an SR whose NTP middle 32 bits are <paramref name="lsr"/>.</summary>
    public void OnSenderReportSent(uint lsr)
    {
        lock (_gate)
        {
            if (_sentReports.Count > 32)
            {
                _sentReports.Clear();
            }

            _sentReports[lsr] = Environment.TickCount64;
        }
    }

    /// <summary>A report block about one of our streams: RTT when its LSR is one of ours.</summary>
    public void OnReportBlock(uint lastSr, uint delaySinceLastSr)
    {
        lock (_gate)
        {
            if (lastSr != 0 && _sentReports.TryGetValue(lastSr, out var sentTicks))
            {
                var rtt = Environment.TickCount64 - sentTicks - (delaySinceLastSr / 65.536);
                _rttMs = Math.Max(0, rtt);
            }
        }
    }

    /// <summary>Takes the bitrates since the last snapshot and returns the current view.</summary>
    public LegStatsView Snapshot()
    {
        lock (_gate)
        {
            var now = Environment.TickCount64;
            var seconds = (now - _lastSnapshotTicks) / 1000.0;
            var bytesOut = Interlocked.Read(ref _bytesOut);
            if (seconds >= 0.5)
            {
                _inKbps = (_bytesIn - _lastBytesIn) * 8 / 1000.0 / seconds;
                _outKbps = (bytesOut - _lastBytesOut) * 8 / 1000.0 / seconds;
                _lastBytesIn = _bytesIn;
                _lastBytesOut = bytesOut;
                _lastSnapshotTicks = now;
            }

            var loss = _expected > 0 ? 100.0 * _lost / _expected : 0;
            return new LegStatsView(Math.Round(_inKbps, 1), Math.Round(_outKbps, 1), _packetsIn, _lost, Math.Round(loss, 2), Math.Round(_jitter / 8.0, 2), _rttMs is { } r ? Math.Round(r, 1) : null, Interlocked.Read(ref _keyFramesRequested));
        }
    }

    private sealed class SequenceState
    {
        public ushort Highest { get; set; }

        public long LastTransit { get; set; }

        public bool Started { get; set; }
    }
}
