using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using VideoLink.Media.Rtp;
using VideoLink.Media.Srtp;
using VideoLink.Media.Tests.Support;

namespace VideoLink.Media.Tests.Net;

/// <summary>
/// Outgoing RTP through the send workers (MediaOptions.SendThreads): every packet arrives, protected with the
/// peer's keys and in the order it was handed over, whether sent inline (0 threads) or by a worker.
/// </summary>
public sealed class SendWorkerTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task SendRtp_ManyPackets_ArriveProtectedAndInOrder(int sendThreads)
    {
        const int Packets = 500;
        await using var endpoint = new WebRtcEndpoint(new MediaOptions { Port = 0, BindAddress = "127.0.0.1", SendThreads = sendThreads });
        endpoint.Start();
        await using var client = new TestWebRtcClient();
        var peer = endpoint.CreatePeer(client.CreateOffer("recvonly", "recvonly")).Peer!;
        var sendKey = new SrtpMasterKey(RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(14));
        Assert.True(peer.InstallKeys(new SrtpMasterKey(RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(14)), sendKey));
        using var sink = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sink.ReceiveBufferSize = 4 * 1024 * 1024;
        sink.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        peer.OnAuthenticatedBinding(((IPEndPoint)sink.LocalEndPoint!).Serialize(), useCandidate: true);

        var packet = new byte[1200];
        for (var i = 0; i < Packets; i++)
        {
            var n = RtpWriter.WriteHeader(packet, false, 108, (ushort)i, (uint)i * 3000, 4242);
            BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(n), i);
            Assert.True(peer.SendRtp(packet.AsSpan(0, n + 1000)));
            packet.AsSpan().Clear(); // the caller may reuse its buffer at once
        }

        using var receiver = new SrtpContext(sendKey);
        var buffer = new byte[2048];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        for (var expected = 0; expected < Packets; expected++)
        {
            var received = await sink.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtp(buffer.AsSpan(0, received), out var length));
            Assert.Equal(12 + 1000, length);
            Assert.Equal((ushort)expected, BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(2)));
            Assert.Equal(expected, BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(12)));
        }

        Assert.Equal(0, endpoint.Counters.SendQueueFull);
    }

    [Fact]
    public async Task SendRtp_AfterPeerClosed_IsRefused()
    {
        await using var endpoint = new WebRtcEndpoint(new MediaOptions { Port = 0, BindAddress = "127.0.0.1", SendThreads = 1 });
        endpoint.Start();
        await using var client = new TestWebRtcClient();
        var peer = endpoint.CreatePeer(client.CreateOffer("recvonly", "recvonly")).Peer!;
        Assert.True(peer.InstallKeys(
            new SrtpMasterKey(RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(14)),
            new SrtpMasterKey(RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(14))));
        peer.OnAuthenticatedBinding(new IPEndPoint(IPAddress.Loopback, 9).Serialize(), useCandidate: true);
        var packet = new byte[100];
        var n = RtpWriter.WriteHeader(packet, false, 108, 1, 1, 1);
        Assert.True(peer.SendRtp(packet.AsSpan(0, n + 20)));

        peer.Close();

        Assert.False(peer.SendRtp(packet.AsSpan(0, n + 20)));
    }
}
