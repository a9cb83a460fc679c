using VideoLink.Media.Routing;
using VideoLink.Media.Rtp;
using VideoLink.Media.Tests.Support;

namespace VideoLink.Media.Tests.Routing;

/// <summary>Publisher → subscriber forwarding between two in-process clients on real sockets.</summary>
public sealed class MediaForwarderTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private readonly TestWebRtcClient _publisherClient = new();
    private readonly TestWebRtcClient _subscriberClient = new();
    private WebRtcEndpoint _endpoint = null!;

    public Task InitializeAsync()
    {
        _endpoint = new WebRtcEndpoint(new MediaOptions { Port = 0, BindAddress = "127.0.0.1" });
        _endpoint.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _publisherClient.DisposeAsync();
        await _subscriberClient.DisposeAsync();
        await _endpoint.DisposeAsync();
    }

    [Fact]
    public async Task Subscriber_GetsRewrittenStreamFromKeyFrame_AndItsNackAndPliAreServed()
    {
        var publisher = await WebRtcEndpointTests.ConnectAsync(_endpoint, _publisherClient, "sendonly");
        var subscriberResult = _endpoint.CreatePeer(_subscriberClient.CreateOffer("recvonly", "recvonly"));
        var subscriber = subscriberResult.Peer!;
        using var forwarder = new MediaForwarder(publisher, subscriber);
        _subscriberClient.ApplyAnswer(subscriber.AnswerSdp);
        Assert.NotNull(await _subscriberClient.CheckAsync(useCandidate: true, Timeout));
        await _subscriberClient.ConnectDtlsAsync(Timeout);
        await subscriber.WhenConnected.WaitAsync(Timeout);

        // The subscriber joining makes the forwarder ask the publisher for a keyframe.
        await ExpectPliAsync(2222);

        // A delta frame is held back; the keyframe (STAP-A with SPS) and what follows are forwarded.
        _publisherClient.SendRtp(108, 500, 9000, 2222, [0x41, 0x9A]);
        _publisherClient.SendRtp(108, 501, 12000, 2222, [0x78, 0x00, 0x02, 0x67, 0x42, 0x00, 0x01, 0x68]);
        _publisherClient.SendRtp(108, 502, 12000, 2222, [0x65, 0x88], marker: true);
        _publisherClient.SendRtp(0, 40, 320, 1111, new byte[160]);

        var video = subscriber.Video!;
        var first = await ReadRtpAsync();
        var second = await ReadRtpAsync();
        var audio = await ReadRtpAsync();
        Assert.True(RtpHeader.TryParse(first, out var h1));
        Assert.Equal((video.LocalSsrc, (byte)video.PayloadType, (ushort)501), (h1.Ssrc, h1.PayloadType, h1.SequenceNumber));
        Assert.Equal(0x78, first[12]);
        Assert.True(RtpHeader.TryParse(second, out var h2));
        Assert.Equal(502, h2.SequenceNumber);
        Assert.True(RtpHeader.TryParse(audio, out var ha));
        Assert.Equal(subscriber.Audio!.LocalSsrc, ha.Ssrc);

        // NACK for 501 → the same packet again from history (the client's SRTP sees it as a replay of 501,
        // since over loopback it had in fact arrived; a real receiver NACKs only what it misses).
        var nack = new byte[16];
        RtcpWriter.WriteNack(nack, 9, video.LocalSsrc, 501, 0);
        _subscriberClient.SendRtcp(nack);
        await WaitForAsync(() => _subscriberClient.ReplayedRtp == 1);
        Assert.Equal(1, forwarder.RetransmittedPackets);

        // The publisher's SR is re-issued for the subscriber's video stream (lip sync needs it).
        var sr = new byte[28];
        RtcpWriter.WriteSenderReport(sr, 2222, 0x1111_2222_3333_4444, 12345, 3, 12);
        _publisherClient.SendRtcp(sr);
        var translated = await _subscriberClient.ReceivedRtcp.ReadAsync().AsTask().WaitAsync(Timeout);
        var srReader = new RtcpReader(translated);
        Assert.True(srReader.TryRead(out var srPacket));
        Assert.Equal(RtcpType.SenderReport, srPacket.PacketType);
        Assert.Equal(video.LocalSsrc, srPacket.SenderSsrc);
        Assert.Equal(0x1111_2222_3333_4444UL, System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(translated.AsSpan(8)));
        Assert.Equal(12345u, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(translated.AsSpan(16))); // offset 0: first source
        Assert.Equal(2u, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(translated.AsSpan(20))); // packets 501, 502

        // The subscriber's PLI on our SSRC is relayed to the publisher's SSRC.
        var pli = new byte[12];
        RtcpWriter.WritePli(pli, 9, video.LocalSsrc);
        _subscriberClient.SendRtcp(pli);
        await ExpectPliAsync(2222);

        // The subscriber leaving stops the forwarding.
        subscriber.Close();
        var forwarded = forwarder.ForwardedPackets;
        _publisherClient.SendRtp(108, 503, 15000, 2222, [0x41]);
        await WaitForAsync(() => _endpoint.Counters.RtpDelivered >= 5);
        Assert.Equal(forwarded, forwarder.ForwardedPackets);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(20);
        }
    }

    private async Task<byte[]> ReadRtpAsync() =>
        await _subscriberClient.ReceivedRtp.ReadAsync().AsTask().WaitAsync(Timeout);

    private async Task ExpectPliAsync(uint mediaSsrc)
    {
        while (true)
        {
            var rtcp = await _publisherClient.ReceivedRtcp.ReadAsync().AsTask().WaitAsync(Timeout);
            var reader = new RtcpReader(rtcp);
            while (reader.TryRead(out var packet))
            {
                if (packet.IsPli && packet.MediaSsrc == mediaSsrc)
                {
                    return;
                }
            }
        }
    }
}
