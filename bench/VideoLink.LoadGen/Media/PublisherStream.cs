using System.Diagnostics;
using System.Security.Cryptography;
using VideoLink.LoadGen.Measure;
using VideoLink.LoadGen.Peers;
using VideoLink.Media.Rtp;

namespace VideoLink.LoadGen.Media;

/// <summary>Shape of the published stream.</summary>
internal sealed record StreamShape(int VideoBitsPerSecond, int FramesPerSecond, double KeyFrameIntervalSeconds, double PacingFactor, int MaxPayloadBytes)
{
    public const byte AudioPayloadType = 0;   // PCMU/8000 (RFC 3551)
    public const byte VideoPayloadType = 102; // H264/90000, packetization-mode=1, 42e01f
    public const int AudioPacketsPerSecond = 50;
    public const int AudioPayloadBytes = 160;

    /// <summary>A keyframe is this many times the size of a delta frame (typical of a 2 Mbps 720p camera stream).</summary>
    public const int KeyFrameSizeFactor = 5;
}

/// <summary>
/// The publisher's sending thread: an H.264-like video pattern (RFC 6184 packetisation — a STAP-A with SPS and PPS,
/// then the IDR as FU-A fragments; delta frames as FU-A of non-IDR slices) at the configured bitrate with a keyframe
/// every few seconds, paced the way Chromium paces (about 2.5× the target rate, so a keyframe is spread over tens of
/// milliseconds rather than sent as one burst), and 50 packets/s of PCMU. Every payload ends in a
/// <see cref="PacketStamp"/>. One thread, 1 ms sleeps between due packets: it costs little CPU on a shared machine.
/// </summary>
internal sealed class PublisherStream : IDisposable
{
    private static readonly byte[] Sps = [0x67, 0x42, 0xE0, 0x1F, 0x8C, 0x8D, 0x40, 0x50, 0x1E, 0xD0, 0x0F, 0x08, 0x84, 0x6A];
    private static readonly byte[] Pps = [0x68, 0xCE, 0x3C, 0x80];

    private readonly LoadPeer _peer;
    private readonly StreamShape _shape;
    private readonly long[] _sendTicks;
    private readonly uint _audioSsrc = (uint)RandomNumberGenerator.GetInt32(1, int.MaxValue);
    private readonly uint _videoSsrc = (uint)RandomNumberGenerator.GetInt32(1, int.MaxValue);
    private readonly Queue<VideoPacket> _pacer = new();
    private readonly byte[] _packet = new byte[1500];
    private readonly Thread _thread;
    private volatile bool _stopping;
    private int _sent;
    private ushort _audioSequence;
    private ushort _videoSequence;
    private uint _audioTimestamp;
    private uint _videoTimestamp;
    private long _frames;

    public PublisherStream(LoadPeer peer, StreamShape shape, int capacity)
    {
        _peer = peer;
        _shape = shape;
        _sendTicks = new long[capacity];
        _thread = new Thread(Run) { IsBackground = true, Name = "publisher", Priority = ThreadPriority.AboveNormal };
    }

    public uint AudioSsrc => _audioSsrc;

    public uint VideoSsrc => _videoSsrc;

    /// <summary>Packets sent so far (audio + video); also the next packet index.</summary>
    public int PacketsSent => Volatile.Read(ref _sent);

    public void Start() => _thread.Start();

    public void Dispose()
    {
        _stopping = true;
        if (_thread.IsAlive)
        {
            _thread.Join();
        }
    }

    /// <summary>The indices [first, last] of the packets sent with a send time in [start, end); false if none.</summary>
    public bool TryGetIndexRange(long startTicks, long endTicks, out uint first, out uint last)
    {
        first = 0;
        last = 0;
        var found = false;
        var sent = PacketsSent;
        for (var i = 0; i < sent; i++)
        {
            var t = _sendTicks[i];
            if (t >= startTicks && t < endTicks)
            {
                if (!found)
                {
                    first = (uint)i;
                    found = true;
                }

                last = (uint)i;
            }
        }

        return found;
    }

    private void Run()
    {
        var second = Stopwatch.Frequency;
        var audioInterval = second / StreamShape.AudioPacketsPerSecond;
        var frameInterval = second / _shape.FramesPerSecond;
        var pacingBytesPerSecond = _shape.VideoBitsPerSecond / 8.0 * _shape.PacingFactor;
        var now = Stopwatch.GetTimestamp();
        long audioDue = now, frameDue = now, pacerDue = now;
        while (!_stopping)
        {
            now = Stopwatch.GetTimestamp();
            if (now >= audioDue)
            {
                SendAudio();
                audioDue += audioInterval;
                continue;
            }

            if (now >= frameDue)
            {
                QueueFrame();
                frameDue += frameInterval;
            }

            if (_pacer.Count > 0 && now >= pacerDue)
            {
                var packet = _pacer.Dequeue();
                SendVideo(packet);

                // Never bank more than a few ms of credit after a stall: that would turn into a burst.
                pacerDue = Math.Max(pacerDue, now - (second / 200)) + (long)(packet.Size / pacingBytesPerSecond * second);
                continue;
            }

            var next = Math.Min(audioDue, frameDue);
            if (_pacer.Count > 0)
            {
                next = Math.Min(next, pacerDue);
            }

            if (next > Stopwatch.GetTimestamp())
            {
                Thread.Sleep(1);
            }
        }
    }

    private void QueueFrame()
    {
        var gopFrames = Math.Max(1, (int)Math.Round(_shape.KeyFrameIntervalSeconds * _shape.FramesPerSecond));
        var keyFrame = _frames % gopFrames == 0;
        var bytesPerGop = _shape.VideoBitsPerSecond / 8.0 * gopFrames / _shape.FramesPerSecond;
        var deltaSize = (int)(bytesPerGop / (gopFrames - 1 + StreamShape.KeyFrameSizeFactor));
        var size = keyFrame ? deltaSize * StreamShape.KeyFrameSizeFactor : deltaSize;
        _frames++;
        _videoTimestamp += (uint)(90_000 / _shape.FramesPerSecond);
        if (keyFrame)
        {
            _pacer.Enqueue(new VideoPacket(VideoKind.ParameterSets, 1 + 2 + Sps.Length + 2 + Pps.Length + PacketStamp.Length, false, _videoTimestamp));
        }

        // FU-A fragments (RFC 6184 §5.8): 2 bytes of FU indicator/header, then slice data (the stamp is its tail).
        var chunk = _shape.MaxPayloadBytes - 2;
        var fragments = Math.Max(1, (size + chunk - 1) / chunk);
        for (var i = 0; i < fragments; i++)
        {
            var last = i == fragments - 1;
            var length = last ? Math.Max(PacketStamp.Length + 8, size - (chunk * i)) : chunk;
            var kind = (i == 0 ? VideoKind.Start : VideoKind.Middle) | (last ? VideoKind.End : VideoKind.Middle) | (keyFrame ? VideoKind.Idr : VideoKind.Middle);
            _pacer.Enqueue(new VideoPacket(kind, 2 + length, last, _videoTimestamp));
        }
    }

    private void SendAudio()
    {
        var header = RtpWriter.WriteHeader(_packet, false, StreamShape.AudioPayloadType, _audioSequence++, _audioTimestamp, _audioSsrc);
        _audioTimestamp += 8000 / StreamShape.AudioPacketsPerSecond;
        var payload = _packet.AsSpan(header, StreamShape.AudioPayloadBytes);
        payload.Fill(0xFF); // PCMU silence
        // Not stamped or counted: a conference server may mix audio (VideoLink decodes, mixes N−1 and re-encodes per
        // receiver), so audio packets have no 1:1 identity at the receivers. Loss and delay are measured on the video,
        // which both servers forward packet for packet.
        _peer.SendRtp(_packet.AsSpan(0, header + StreamShape.AudioPayloadBytes));
    }

    private void SendVideo(VideoPacket packet)
    {
        var header = RtpWriter.WriteHeader(_packet, packet.Marker, StreamShape.VideoPayloadType, _videoSequence++, packet.Timestamp, _videoSsrc);
        var payload = _packet.AsSpan(header, packet.Size);
        payload.Fill(0xAB);
        if (packet.Kind == VideoKind.ParameterSets)
        {
            // STAP-A (RFC 6184 §5.7.1): NAL header type 24, then (16-bit size, NAL unit) pairs; the stamp rides in the PPS.
            payload[0] = 0x78;
            payload[1] = 0;
            payload[2] = (byte)Sps.Length;
            Sps.CopyTo(payload[3..]);
            var offset = 3 + Sps.Length;
            payload[offset] = 0;
            payload[offset + 1] = (byte)(Pps.Length + PacketStamp.Length);
            Pps.CopyTo(payload[(offset + 2)..]);
        }
        else
        {
            var nalType = (packet.Kind & VideoKind.Idr) != 0 ? H264.NalIdr : H264.NalSlice;
            payload[0] = (byte)(0x60 | H264.FuA); // F=0, NRI=3, type 28
            payload[1] = (byte)(((packet.Kind & VideoKind.Start) != 0 ? 0x80 : 0) | ((packet.Kind & VideoKind.End) != 0 ? 0x40 : 0) | nalType);
        }

        Send(header + packet.Size);
    }

    private void Send(int length)
    {
        var index = _sent;
        if (index >= _sendTicks.Length)
        {
            return; // capacity reached: the run is longer than planned; stop rather than overwrite
        }

        var now = Stopwatch.GetTimestamp();
        PacketStamp.Write(_packet.AsSpan(length - PacketStamp.Length), (uint)index, now);
        _sendTicks[index] = now;
        Volatile.Write(ref _sent, index + 1);
        _peer.SendRtp(_packet.AsSpan(0, length));
    }

    [Flags]
    private enum VideoKind
    {
        Middle = 0,
        Start = 1,
        End = 2,
        Idr = 4,
        ParameterSets = 8,
    }

    private readonly record struct VideoPacket(VideoKind Kind, int Size, bool Marker, uint Timestamp);
}
