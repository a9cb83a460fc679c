using System.Net;
using System.Net.Sockets;
using VideoLink.Sip.Media;
using VideoLink.Sip.Tests.Infrastructure;

namespace VideoLink.Sip.Tests.Media;

public sealed class UdpMediaAnchorTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private static SipMediaStream Audio(IPEndPoint? remote = null) => new("c@test", "audio", "PCMU", 0, 8000, remote, false);

    [Fact]
    public async Task Allocate_GivesAnEvenRtpPortWithRtcpNextToIt()
    {
        var anchor = new UdpMediaAnchor(IPAddress.Loopback);
        await using var stream = await anchor.AllocateAsync(Audio(), CancellationToken.None).AsTask().WaitAsync(Wait);

        Assert.Equal(0, stream.Port % 2);
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        Assert.Throws<SocketException>(() => probe.Bind(new IPEndPoint(IPAddress.Loopback, stream.Port + 1)));
    }

    [Fact]
    public async Task Echo_SendsEachPacketBackOnceAndDoesNotBounceItsOwnEcho()
    {
        var anchor = new UdpMediaAnchor(IPAddress.Loopback);
        await using var stream = await anchor.AllocateAsync(Audio(), CancellationToken.None).AsTask().WaitAsync(Wait);
        anchor.Echo(stream);
        using var phone = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        phone.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var target = new IPEndPoint(IPAddress.Loopback, stream.Port);
        byte[] packet = RawCall.RtpPacket(7, 42);

        await phone.SendToAsync(packet, SocketFlags.None, target).WaitAsync(Wait);
        byte[]? echoed = await RawCall.ReceiveRtpAsync(phone, Wait);
        // An echoing peer returns our echo: it must not come back a second time (no endless ping-pong).
        await phone.SendToAsync(echoed!, SocketFlags.None, target).WaitAsync(Wait);

        Assert.Equal(packet, echoed);
        Assert.Null(await RawCall.ReceiveRtpAsync(phone, TimeSpan.FromMilliseconds(300)));
        await phone.SendToAsync(RawCall.RtpPacket(8, 42), SocketFlags.None, target).WaitAsync(Wait);
        Assert.NotNull(await RawCall.ReceiveRtpAsync(phone, Wait)); // the next real packet still comes back
    }

    [Fact]
    public async Task Connect_RelaysBetweenTwoLegsUsingTheSdpAddressUntilLatched()
    {
        var anchor = new UdpMediaAnchor(IPAddress.Loopback);
        using var a = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        using var b = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        a.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        b.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using var legA = await anchor.AllocateAsync(Audio((IPEndPoint)a.LocalEndPoint!), CancellationToken.None).AsTask().WaitAsync(Wait);
        await using var legB = await anchor.AllocateAsync(Audio((IPEndPoint)b.LocalEndPoint!), CancellationToken.None).AsTask().WaitAsync(Wait);
        anchor.Connect(legA, legB);

        byte[] fromA = RawCall.RtpPacket(1, 1);
        await a.SendToAsync(fromA, SocketFlags.None, new IPEndPoint(IPAddress.Loopback, legA.Port)).WaitAsync(Wait);

        Assert.Equal(fromA, await RawCall.ReceiveRtpAsync(b, Wait));
        await Poll.UntilAsync(() => legA.PacketsReceived == 1 && legB.PacketsSent == 1, Wait, "counters follow the packet");
    }
}
