using VideoLink.Media.Rtp;

namespace VideoLink.Hub.Conference;

/// <summary>
/// The video one receiver gets: one outgoing stream (the SSRC and payload type its session agreed) fed from whichever
/// source is chosen for it. A switch is prepared, not done: the old source keeps playing until the new one sends a
/// keyframe start (SPS or IDR, RFC 6184), then the output changes at that packet — the receiver's decoder never gets
/// P-frames of a picture it has not seen. SSRC, sequence and timestamp are rewritten (<see cref="RtpStreamRewriter"/>)
/// so the receiver sees one continuous stream. Packets may come from several receive loops: guarded by a lock.
/// </summary>
internal sealed class VideoRoute
{
    private readonly Lock _gate = new();
    private readonly RtpStreamRewriter _rewriter;
    private readonly RetransmissionBuffer _history = new();
    private readonly byte[] _buffer = new byte[2048];
    private uint _lastOutputTimestamp;
    private long _lastOutputTicks;

    /// <summary>How long a switch waits for the new source's keyframe before it gives up and switches at a frame start.</summary>
    public const long DefaultKeyFrameWaitMilliseconds = 3000;

    private uint _pendingTimestamp;
    private bool _pendingSeen;

    public VideoRoute(ConferenceLeg receiver, long keyFrameWaitMilliseconds = DefaultKeyFrameWaitMilliseconds)
    {
        Receiver = receiver;
        KeyFrameWaitMilliseconds = keyFrameWaitMilliseconds;
        _rewriter = new RtpStreamRewriter(receiver.OutboundVideoSsrc, receiver.OutboundVideoPayloadType, 3000);
    }

    public ConferenceLeg Receiver { get; }

    public long KeyFrameWaitMilliseconds { get; }

    /// <summary>Switches done without a keyframe (the source never answered the requests).</summary>
    public long ForcedSwitches { get; private set; }

    /// <summary>The source whose packets the receiver gets now (null before the first keyframe).</summary>
    public Guid? Current { get; private set; }

    /// <summary>The source chosen but not switched to yet (waiting for its keyframe).</summary>
    public Guid? Pending { get; private set; }

    /// <summary>When the pending switch was asked for (ticks), for keyframe retries and the switch latency figure.</summary>
    public long PendingSince { get; private set; }

    /// <summary>Milliseconds from the last switch request to the first keyframe packet forwarded.</summary>
    public long? LastSwitchMilliseconds { get; private set; }

    public long Switches { get; private set; }

    /// <summary>Switches at an IDR without parameter sets, where the cached SPS and PPS were sent first.</summary>
    public long ParameterSetsSent { get; private set; }

    public long Forwarded { get; private set; }

    /// <summary>The source this receiver should see; true when a keyframe must be asked of it.</summary>
    public bool Choose(Guid? source)
    {
        lock (_gate)
        {
            if (source is null)
            {
                Current = null;
                Pending = null;
                return false;
            }

            if (source == Current)
            {
                Pending = null; // switched back before the new source's keyframe came
                return false;
            }

            if (source == Pending)
            {
                return false;
            }

            Pending = source;
            PendingSince = Environment.TickCount64;
            _pendingSeen = false;
            return true;
        }
    }

    /// <summary>The current source left: nothing is forwarded until the next source's keyframe.</summary>
    public void SourceGone(Guid source)
    {
        lock (_gate)
        {
            if (Current == source)
            {
                Current = null;
            }

            if (Pending == source)
            {
                Pending = null;
            }
        }
    }

    public bool Wants(Guid source) => Current == source || Pending == source;

    public void OnVideo(ConferenceLeg source, ReadOnlySpan<byte> packet)
    {
        lock (_gate)
        {
            if (source.Id == Pending)
            {
                if (!RtpHeader.TryParse(packet, out var header))
                {
                    return;
                }

                if (!H264.IsKeyFrameStart(header.Payload(packet)))
                {
                    // Keep showing the old source (if any) until the new one's keyframe. A source that never answers
                    // keyframe requests (some phones, a replayed capture) is switched to anyway after the wait, at the
                    // first packet of a new frame (a new timestamp), so the chair's choice is not ignored for ever.
                    var frameStart = _pendingSeen && header.Timestamp != _pendingTimestamp;
                    _pendingSeen = true;
                    _pendingTimestamp = header.Timestamp;
                    if (!frameStart || Environment.TickCount64 - PendingSince < KeyFrameWaitMilliseconds)
                    {
                        return;
                    }

                    ForcedSwitches++;
                }

                Current = Pending;
                Pending = null;
                Switches++;
                LastSwitchMilliseconds = Environment.TickCount64 - PendingSince;
                if (H264.IsKeyFrameStart(header.Payload(packet)) && !H264.CarriesSps(header.Payload(packet)))
                {
                    SendParameterSets(source, header);
                }
            }
            else if (source.Id != Current)
            {
                return;
            }

            var length = _rewriter.Rewrite(packet, _buffer);
            if (length <= 0)
            {
                return;
            }

            _history.Store(_buffer.AsSpan(0, length));
            _lastOutputTimestamp = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(_buffer.AsSpan(4));
            _lastOutputTicks = Environment.TickCount64;
            if (Receiver.SendVideo(_buffer.AsSpan(0, length)))
            {
                Forwarded++;
            }
        }
    }

    /// <summary>
    /// Sends the source's SPS and PPS (one STAP-A, RFC 6184 §5.7.1) right before an IDR that came without them: many
    /// room codecs and phones send parameter sets only when their stream starts, and a receiver switched to them later
    /// could not decode the IDR (Chrome wants SPS and PPS first, PROTOCOLS.md). The STAP-A goes through the rewriter as
    /// the source's packet just before the IDR (its sequence number minus one, the IDR's timestamp), so the receiver
    /// sees it, then the IDR, with no gap in the sequence.
    /// </summary>
    private void SendParameterSets(ConferenceLeg source, RtpHeader idr)
    {
        Span<byte> packet = stackalloc byte[RtpHeader.FixedLength + 512 + 5];
        var length = source.VideoParameterSets.WriteStapA(packet[RtpHeader.FixedLength..]);
        if (length == 0)
        {
            return; // none seen yet: the IDR goes alone, as before
        }

        RtpWriter.WriteHeader(packet, marker: false, idr.PayloadType, (ushort)(idr.SequenceNumber - 1), idr.Timestamp, idr.Ssrc);
        var written = _rewriter.Rewrite(packet[..(RtpHeader.FixedLength + length)], _buffer);
        if (written <= 0)
        {
            return;
        }

        _history.Store(_buffer.AsSpan(0, written));
        if (Receiver.SendVideo(_buffer.AsSpan(0, written)))
        {
            ParameterSetsSent++;
        }
    }

    /// <summary>Answers the receiver's generic NACK (RFC 4585 §6.2.1) from what it was sent.</summary>
    public void Retransmit(ReadOnlySpan<ushort> lost)
    {
        Span<byte> copy = stackalloc byte[RetransmissionBuffer.MaxPacketLength];
        lock (_gate)
        {
            foreach (var sequence in lost)
            {
                var length = _history.TryCopy(sequence, copy);
                if (length > 0)
                {
                    Receiver.SendVideo(copy[..length]);
                }
            }
        }
    }

    /// <summary>The output RTP timestamp "now" (last one sent, moved on at 90 kHz), for our sender reports.</summary>
    public bool TryOutputTimestamp(out uint timestamp, out uint packets, out uint octets)
    {
        lock (_gate)
        {
            packets = _rewriter.PacketsWritten;
            octets = _rewriter.OctetsWritten;
            timestamp = _lastOutputTimestamp + (uint)((Environment.TickCount64 - _lastOutputTicks) * 90);
            return packets > 0;
        }
    }
}
