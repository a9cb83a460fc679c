using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using VideoLink.Media.Routing;
using VideoLink.Media.Rtp;
using VideoLink.Media.Srtp;
using VideoLink.Media.Tests.Support;

namespace VideoLink.Media.Tests.Routing;

/// <summary>
/// The hot path receive → SRTP unprotect → rewrite → SRTP protect → socket send, driven on the test thread so
/// allocations can be counted: the steady state must allocate nothing per forwarded packet (STYLE.md §2).
/// </summary>
public sealed class ForwardingAllocationTests
{
    [Fact]
    public async Task ForwardedPacket_InSteadyState_AllocatesNothing()
    {
        await using var endpoint = new WebRtcEndpoint(new MediaOptions { Port = 0, BindAddress = "127.0.0.1" });
        endpoint.Start();
        await using var publisherClient = new TestWebRtcClient();
        await using var subscriberClient = new TestWebRtcClient();
        var publisher = endpoint.CreatePeer(publisherClient.CreateOffer("sendonly", "sendonly")).Peer!;
        var subscriber = endpoint.CreatePeer(subscriberClient.CreateOffer("recvonly", "recvonly")).Peer!;

        // Keys and a selected pair without a handshake: this test is about the per-packet path only.
        var publisherKey = NewKey();
        Assert.True(publisher.InstallKeys(publisherKey, NewKey()));
        Assert.True(subscriber.InstallKeys(NewKey(), NewKey()));
        using var sink = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sink.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        subscriber.OnAuthenticatedBinding(((IPEndPoint)sink.LocalEndPoint!).Serialize(), useCandidate: true);
        using var forwarder = new MediaForwarder(publisher, subscriber);
        using var sender = new SrtpContext(publisherKey);

        var packet = new byte[1400];
        var work = new byte[1400];
        ushort seq = 1;
        void ForwardOne(byte firstPayloadByte)
        {
            var n = RtpWriter.WriteHeader(packet, false, 108, seq, seq * 3000u, 2222);
            packet[n] = firstPayloadByte;
            n = sender.ProtectRtp(packet, n + 1100);
            packet.AsSpan(0, n).CopyTo(work);
            publisher.OnSrtp(work.AsSpan(0, n), isRtcp: false);
            seq++;
        }

        ForwardOne(0x65); // keyframe opens the gate
        for (var i = 0; i < 200; i++)
        {
            ForwardOne(0x41);
        }

        var forwardedBefore = forwarder.ForwardedPackets;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            ForwardOne(0x41);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(1000, forwarder.ForwardedPackets - forwardedBefore);
        Assert.Equal(0, allocated);
    }

    private static SrtpMasterKey NewKey() => new(RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(14));
}
