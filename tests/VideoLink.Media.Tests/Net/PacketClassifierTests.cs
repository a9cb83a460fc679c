using VideoLink.Media.Net;

namespace VideoLink.Media.Tests.Net;

public sealed class PacketClassifierTests
{
    [Theory]
    [InlineData(new byte[] { 0x00, 0x01 }, (int)PacketKind.Stun)]
    [InlineData(new byte[] { 0x03, 0x00 }, (int)PacketKind.Stun)]
    [InlineData(new byte[] { 22, 0xFE }, (int)PacketKind.Dtls)]
    [InlineData(new byte[] { 63, 0x00 }, (int)PacketKind.Dtls)]
    [InlineData(new byte[] { 0x80, 0x00 }, (int)PacketKind.Rtp)]
    [InlineData(new byte[] { 0x80, 0xE0 }, (int)PacketKind.Rtp)] // marker + PT 96
    [InlineData(new byte[] { 0x81, 200 }, (int)PacketKind.Rtcp)]
    [InlineData(new byte[] { 0x81, 206 }, (int)PacketKind.Rtcp)]
    [InlineData(new byte[] { 0xBF, 201 }, (int)PacketKind.Rtcp)]
    [InlineData(new byte[] { 4, 0 }, (int)PacketKind.Unknown)]
    [InlineData(new byte[] { 64, 0 }, (int)PacketKind.Unknown)] // TURN channel range, not ours
    [InlineData(new byte[] { 0xC0, 0 }, (int)PacketKind.Unknown)]
    [InlineData(new byte[] { }, (int)PacketKind.Unknown)]
    public void Classify_ByFirstByte_FollowsRfc7983(byte[] datagram, int expected) =>
        Assert.Equal((PacketKind)expected, PacketClassifier.Classify(datagram));
}
