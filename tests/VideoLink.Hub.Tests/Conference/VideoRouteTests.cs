using System.Buffers.Binary;
using VideoLink.Hub.Conference;

namespace VideoLink.Hub.Tests.Conference;

/// <summary>A leg that records what the router sends it (our own small port, not a peer).</summary>
internal sealed class RecordingLeg(string name, uint videoSsrc = 0x1234_5678, byte videoPt = 102) : ConferenceLeg(Guid.NewGuid(), LegKind.WebRtc, name)
{
    public List<byte[]> Video { get; } = [];

    public int KeyFrameRequests { get; private set; }

    public override bool PublishesVideo => true;

    public override bool ReceivesVideo => true;

    public override bool PublishesAudio => true;

    public override bool ReceivesAudio => true;

    public override AudioLaw OutboundAudioLaw => AudioLaw.MuLaw;

    public override byte OutboundAudioPayloadType => 0;

    public override uint OutboundAudioSsrc => 0xAA;

    public override byte OutboundVideoPayloadType => videoPt;

    public override uint OutboundVideoSsrc => videoSsrc;

    public override string State => "connected";

    public override long LastMediaTicks => Environment.TickCount64;

    public override bool SendVideo(ReadOnlySpan<byte> rtp)
    {
        Video.Add(rtp.ToArray());
        return true;
    }

    public override bool SendAudio(ReadOnlySpan<byte> rtp) => true;

    public override bool SendRtcp(ReadOnlySpan<byte> rtcp, bool video) => true;

    public override void RequestKeyFrame() => KeyFrameRequests++;

    public override void Hangup()
    {
    }
}

public sealed class VideoRouteTests
{
    /// <summary>An H.264 RTP packet: <paramref name="nal"/> 5 = IDR (keyframe), 1 = P slice.</summary>
    private static byte[] Packet(uint ssrc, ushort sequence, uint timestamp, int nal, bool marker = true)
    {
        var packet = new byte[12 + 20];
        packet[0] = 0x80;
        packet[1] = (byte)((marker ? 0x80 : 0) | 96);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        packet[12] = (byte)(0x60 | nal);
        return packet;
    }

    private static (ushort Seq, uint Ts, uint Ssrc, byte Pt) Header(byte[] p) =>
        (BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(2)), BinaryPrimitives.ReadUInt32BigEndian(p.AsSpan(4)), BinaryPrimitives.ReadUInt32BigEndian(p.AsSpan(8)), (byte)(p[1] & 0x7F));

    [Fact]
    public void FirstSource_StartsOnlyAtAKeyframe()
    {
        var receiver = new RecordingLeg("receiver");
        var source = new RecordingLeg("source");
        var route = new VideoRoute(receiver);

        Assert.True(route.Choose(source.Id));
        route.OnVideo(source, Packet(1, 100, 9000, nal: 1));
        route.OnVideo(source, Packet(1, 101, 12000, nal: 1));
        Assert.Empty(receiver.Video);

        route.OnVideo(source, Packet(1, 102, 15000, nal: 5));
        route.OnVideo(source, Packet(1, 103, 18000, nal: 1));

        Assert.Equal(2, receiver.Video.Count);
        Assert.Equal(source.Id, route.Current);
        Assert.Equal(0x1234_5678u, Header(receiver.Video[0]).Ssrc);
        Assert.Equal(102, Header(receiver.Video[0]).Pt);
    }

    [Fact]
    public void Switch_KeepsTheOldSourceUntilTheNewKeyframe_ThenTheStreamContinuesWithoutAGap()
    {
        var receiver = new RecordingLeg("receiver");
        var a = new RecordingLeg("a");
        var b = new RecordingLeg("b");
        var route = new VideoRoute(receiver);
        route.Choose(a.Id);
        route.OnVideo(a, Packet(0xA, 1000, 90_000, nal: 5));
        route.OnVideo(a, Packet(0xA, 1001, 93_000, nal: 1));

        Assert.True(route.Choose(b.Id));
        route.OnVideo(b, Packet(0xB, 50, 7_000_000, nal: 1)); // B's P-frame: not shown yet
        route.OnVideo(a, Packet(0xA, 1002, 96_000, nal: 1)); // A still plays
        route.OnVideo(b, Packet(0xB, 51, 7_003_000, nal: 5, marker: false)); // B's keyframe: the switch
        route.OnVideo(b, Packet(0xB, 52, 7_003_000, nal: 5));
        route.OnVideo(a, Packet(0xA, 1003, 99_000, nal: 1)); // A no longer reaches this receiver
        route.OnVideo(b, Packet(0xB, 53, 7_006_000, nal: 1));

        var headers = receiver.Video.Select(Header).ToList();
        Assert.Equal(6, headers.Count);
        for (var i = 1; i < headers.Count; i++)
        {
            Assert.Equal((ushort)(headers[i - 1].Seq + 1), headers[i].Seq); // no gap, no repeat
            Assert.True(headers[i].Ts - headers[i - 1].Ts < 10_000, $"timestamp jump at {i}"); // monotonic, no leap to B's clock
            Assert.Equal(headers[0].Ssrc, headers[i].Ssrc);
        }

        Assert.Equal(b.Id, route.Current);
        Assert.Equal(2, route.Switches); // the start on A counts as one
        Assert.NotNull(route.LastSwitchMilliseconds);
    }

    [Fact]
    public void Switch_ToASourceWhoseIdrComesWithoutParameterSets_SendsItsCachedSpsAndPpsFirst_WithoutAGap()
    {
        // A room codec that sent SPS/PPS only when its stream started: a receiver switched to it later gets them
        // (from the cache the room fills from the source's packets) just before the IDR, as one STAP-A.
        var receiver = new RecordingLeg("receiver");
        var a = new RecordingLeg("a");
        var codec = new RecordingLeg("codec");
        byte[] sps = [0x67, 0x42, 0xC0, 0x1F, 0xDA, 0x01];
        byte[] pps = [0x68, 0xCE, 0x3C, 0x80];
        codec.VideoParameterSets.Observe(sps);
        codec.VideoParameterSets.Observe(pps);
        var route = new VideoRoute(receiver);
        route.Choose(a.Id);
        route.OnVideo(a, Packet(0xA, 1000, 90_000, nal: 5));
        route.OnVideo(a, Packet(0xA, 1001, 93_000, nal: 1));

        route.Choose(codec.Id);
        route.OnVideo(codec, Packet(0xC, 500, 4_000_000, nal: 5)); // a bare IDR: the switch
        route.OnVideo(codec, Packet(0xC, 501, 4_003_000, nal: 1));

        var headers = receiver.Video.Select(Header).ToList();
        Assert.Equal(5, headers.Count);
        var stap = receiver.Video[2].AsSpan(12);
        Assert.Equal(24, stap[0] & 0x1F); // STAP-A
        Assert.Equal(sps, stap.Slice(3, sps.Length).ToArray());
        Assert.Equal(pps, stap.Slice(3 + sps.Length + 2, pps.Length).ToArray());
        Assert.Equal(5, receiver.Video[3][12] & 0x1F); // then the IDR
        Assert.Equal(headers[3].Ts, headers[2].Ts); // the same picture
        for (var i = 1; i < headers.Count; i++)
        {
            Assert.Equal((ushort)(headers[i - 1].Seq + 1), headers[i].Seq);
            Assert.Equal(headers[0].Ssrc, headers[i].Ssrc);
        }

        Assert.Equal(1, route.ParameterSetsSent); // not at the start on A: nothing cached for A, its IDR went alone
    }

    [Fact]
    public void Switch_AtAKeyframeThatCarriesItsOwnSps_SendsNothingExtra()
    {
        var receiver = new RecordingLeg("receiver");
        var source = new RecordingLeg("source");
        source.VideoParameterSets.Observe([0x67, 0x42, 0xC0, 0x1F]);
        source.VideoParameterSets.Observe([0x68, 0xCE, 0x3C, 0x80]);
        var route = new VideoRoute(receiver);
        route.Choose(source.Id);

        route.OnVideo(source, Packet(1, 100, 9000, nal: 7, marker: false)); // SPS first, as browsers send
        route.OnVideo(source, Packet(1, 101, 9000, nal: 5));

        Assert.Equal(2, receiver.Video.Count);
        Assert.Equal(0, route.ParameterSetsSent);
    }

    [Fact]
    public void SwitchingBack_BeforeTheNewKeyframe_CancelsTheSwitch()
    {
        var receiver = new RecordingLeg("receiver");
        var a = new RecordingLeg("a");
        var b = new RecordingLeg("b");
        var route = new VideoRoute(receiver);
        route.Choose(a.Id);
        route.OnVideo(a, Packet(0xA, 1, 3000, nal: 5));

        route.Choose(b.Id);
        Assert.False(route.Choose(a.Id));
        route.OnVideo(b, Packet(0xB, 9, 3000, nal: 5));

        Assert.Equal(a.Id, route.Current);
        Assert.Null(route.Pending);
        Assert.Single(receiver.Video);
    }

    [Fact]
    public void SourceGone_StopsTheOutput_UntilTheNextSourcesKeyframe()
    {
        var receiver = new RecordingLeg("receiver");
        var a = new RecordingLeg("a");
        var b = new RecordingLeg("b");
        var route = new VideoRoute(receiver);
        route.Choose(a.Id);
        route.OnVideo(a, Packet(0xA, 1, 3000, nal: 5));

        route.SourceGone(a.Id);
        route.Choose(b.Id);
        route.OnVideo(b, Packet(0xB, 7, 100, nal: 1));
        Assert.Single(receiver.Video);

        route.OnVideo(b, Packet(0xB, 8, 3100, nal: 7)); // SPS starts a keyframe too
        Assert.Equal(2, receiver.Video.Count);
        Assert.Equal((ushort)(Header(receiver.Video[0]).Seq + 1), Header(receiver.Video[1]).Seq);
    }

    [Fact]
    public async Task SourceThatNeverSendsAKeyframe_IsSwitchedToAfterTheWait_AtAFrameStart()
    {
        var receiver = new RecordingLeg("receiver");
        var a = new RecordingLeg("a");
        var b = new RecordingLeg("b");
        var route = new VideoRoute(receiver, keyFrameWaitMilliseconds: 100);
        route.Choose(a.Id);
        route.OnVideo(a, Packet(0xA, 1, 3000, nal: 5));
        route.Choose(b.Id);

        route.OnVideo(b, Packet(0xB, 10, 9000, nal: 1));
        Assert.Equal(a.Id, route.Current); // before the wait: still A
        await Task.Delay(150);
        route.OnVideo(b, Packet(0xB, 11, 9000, nal: 1, marker: false)); // same frame: not a frame start
        Assert.Equal(a.Id, route.Current);
        route.OnVideo(b, Packet(0xB, 12, 12000, nal: 1)); // a new frame: switched without a keyframe

        Assert.Equal(b.Id, route.Current);
        Assert.Equal(1, route.ForcedSwitches);
        Assert.Equal(2, receiver.Video.Count);
    }

    [Fact]
    public void MalformedPackets_AreDropped_NotThrown()
    {
        var receiver = new RecordingLeg("receiver");
        var a = new RecordingLeg("a");
        var route = new VideoRoute(receiver);
        route.Choose(a.Id);

        route.OnVideo(a, new byte[] { 0x80, 0x60 });
        route.OnVideo(a, new byte[13]);

        Assert.Empty(receiver.Video);
    }
}
