using System.Buffers.Binary;
using VideoLink.Media.Rtp;
using VideoLink.Media.Sdp;

namespace VideoLink.Media.Routing;

/// <summary>
/// Forwards one publisher's audio and video to one subscriber, SFU style: SSRC, sequence number, timestamp and
/// payload type are rewritten to what the subscriber's answer announced; video starts at a keyframe (a PLI goes to
/// the publisher when the subscriber connects and again while none arrives); the subscriber's PLI/FIR are relayed
/// to the publisher as PLI. The seed of the room router (and of WHEP's "first publisher" rule).
/// </summary>
public sealed class MediaForwarder : IDisposable
{
    private const long KeyFrameRetryMilliseconds = 500;

    private readonly WebRtcPeer _publisher;
    private readonly WebRtcPeer _subscriber;
    private readonly RtpStreamRewriter? _audio;
    private readonly RtpStreamRewriter? _video;
    private readonly byte[] _buffer = new byte[WebRtcPeer.UdpPacketLimit];
    private readonly RetransmissionBuffer? _videoHistory;
    private readonly byte _publisherAudioPt;
    private readonly byte _publisherVideoPt;
    private bool _waitingForKeyFrame = true;
    private long _lastKeyFrameRequest;
    private long _forwardedPackets;
    private long _retransmitted;
    private int _disposed;

    public MediaForwarder(WebRtcPeer publisher, WebRtcPeer subscriber)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        ArgumentNullException.ThrowIfNull(subscriber);
        _publisher = publisher;
        _subscriber = subscriber;
        if (publisher.Audio is { } pa && subscriber.Audio is { } sa && sa.Direction.HasFlag(MediaDirection.Send) && pa.Codec == sa.Codec)
        {
            _publisherAudioPt = (byte)pa.PayloadType;
            _audio = new RtpStreamRewriter(sa.LocalSsrc, (byte)sa.PayloadType, 160);
        }

        if (publisher.Video is { } pv && subscriber.Video is { } sv && sv.Direction.HasFlag(MediaDirection.Send) && pv.Codec == sv.Codec)
        {
            _publisherVideoPt = (byte)pv.PayloadType;
            _video = new RtpStreamRewriter(sv.LocalSsrc, (byte)sv.PayloadType, 3000);
            _videoHistory = new RetransmissionBuffer();
        }

        // Either side closing ends the forwarding; the hub may still Dispose it, which is idempotent.
        publisher.Closed += OnPeerClosed;
        subscriber.Closed += OnPeerClosed;
        publisher.RtpReceived += OnPublisherRtp;
        publisher.RtcpReceived += OnPublisherRtcp;
        subscriber.RtcpReceived += OnSubscriberRtcp;

        // A late joiner needs a keyframe (PROTOCOLS.md): ask as soon as the subscriber's SRTP is up.
        _ = subscriber.WhenConnected.ContinueWith(
            t =>
            {
                if (t.IsCompletedSuccessfully)
                {
                    RequestKeyFrame();
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default); // fire-and-forget: the continuation only sends a PLI and never throws
    }

    /// <summary>Packets sent to the subscriber so far.</summary>
    public long ForwardedPackets => Interlocked.Read(ref _forwardedPackets);

    /// <summary>Packets re-sent from history in answer to the subscriber's NACKs.</summary>
    public long RetransmittedPackets => Interlocked.Read(ref _retransmitted);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _publisher.Closed -= OnPeerClosed;
            _subscriber.Closed -= OnPeerClosed;
            _publisher.RtpReceived -= OnPublisherRtp;
            _publisher.RtcpReceived -= OnPublisherRtcp;
            _subscriber.RtcpReceived -= OnSubscriberRtcp;
        }
    }

    private void OnPeerClosed(object? sender, EventArgs e) => Dispose();

    private void RequestKeyFrame()
    {
        Interlocked.Exchange(ref _lastKeyFrameRequest, Environment.TickCount64);
        _publisher.RequestKeyFrame();
    }

    /// <summary>Runs under the publisher's receive lock, so calls are serialised and the buffer can be shared.</summary>
    private void OnPublisherRtp(WebRtcPeer peer, ReadOnlySpan<byte> packet)
    {
        if (_subscriber.State != WebRtcPeerState.Connected || !RtpHeader.TryParse(packet, out var header))
        {
            return;
        }

        RtpStreamRewriter? rewriter = null;
        if (header.PayloadType == _publisherAudioPt && _audio is not null)
        {
            rewriter = _audio;
        }
        else if (header.PayloadType == _publisherVideoPt && _video is not null)
        {
            if (_waitingForKeyFrame)
            {
                if (!H264.IsKeyFrameStart(header.Payload(packet)))
                {
                    if (Environment.TickCount64 - Interlocked.Read(ref _lastKeyFrameRequest) > KeyFrameRetryMilliseconds)
                    {
                        RequestKeyFrame();
                    }

                    return;
                }

                _waitingForKeyFrame = false;
            }

            rewriter = _video;
        }

        if (rewriter is null)
        {
            return;
        }

        var length = rewriter.Rewrite(packet, _buffer);
        if (length > 0 && ReferenceEquals(rewriter, _video))
        {
            _videoHistory!.Store(_buffer.AsSpan(0, length));
        }

        if (length > 0 && _subscriber.SendRtp(_buffer.AsSpan(0, length)))
        {
            Interlocked.Increment(ref _forwardedPackets);
        }
    }

    /// <summary>
    /// Re-issues the publisher's sender reports for the subscriber's streams: same NTP time, RTP timestamp moved onto
    /// the output timeline, our own packet/octet counts. Without SRs a receiver cannot synchronise audio and video.
    /// Runs under the publisher's receive lock, like <see cref="OnPublisherRtp"/>, so the rewriters are not shared.
    /// </summary>
    private void OnPublisherRtcp(WebRtcPeer peer, ReadOnlySpan<byte> packet)
    {
        if (_subscriber.State != WebRtcPeerState.Connected)
        {
            return;
        }

        var reader = new RtcpReader(packet);
        Span<byte> report = stackalloc byte[28];
        while (reader.TryRead(out var rtcp))
        {
            if (rtcp.PacketType != RtcpType.SenderReport || rtcp.Length < 28)
            {
                continue;
            }

            var body = rtcp.Body(packet);
            var ntp = BinaryPrimitives.ReadUInt64BigEndian(body[8..]);
            var rtpTimestamp = BinaryPrimitives.ReadUInt32BigEndian(body[16..]);
            foreach (var rewriter in (ReadOnlySpan<RtpStreamRewriter?>)[_audio, _video])
            {
                if (rewriter is not null && rewriter.TryTranslateTimestamp(rtcp.SenderSsrc, rtpTimestamp, out var translated))
                {
                    RtcpWriter.WriteSenderReport(report, rewriter.OutputSsrc, ntp, translated, rewriter.PacketsWritten, rewriter.OctetsWritten);
                    _subscriber.SendRtcp(report);
                }
            }
        }
    }

    private void OnSubscriberRtcp(WebRtcPeer peer, ReadOnlySpan<byte> packet)
    {
        var reader = new RtcpReader(packet);
        while (reader.TryRead(out var rtcp))
        {
            if (_video is null || rtcp.MediaSsrc != _video.OutputSsrc)
            {
                continue;
            }

            if (rtcp.IsPli || rtcp.IsFir)
            {
                RequestKeyFrame();
            }
            else if (rtcp.IsNack)
            {
                Retransmit(packet, rtcp);
            }
        }
    }

    /// <summary>Answers a generic NACK (RFC 4585 §6.2.1) from the history of what this subscriber was sent.</summary>
    private void Retransmit(ReadOnlySpan<byte> datagram, RtcpPacket nack)
    {
        Span<ushort> lost = stackalloc ushort[64];
        var count = RtcpReader.ReadNack(datagram, nack, lost);
        Span<byte> copy = stackalloc byte[RetransmissionBuffer.MaxPacketLength];
        for (var i = 0; i < count; i++)
        {
            var length = _videoHistory!.TryCopy(lost[i], copy);
            if (length > 0 && _subscriber.SendRtp(copy[..length]))
            {
                Interlocked.Increment(ref _retransmitted);
            }
        }
    }
}
