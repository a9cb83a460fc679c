using System.Net;
using System.Net.Sockets;
using VideoLink.Hardware.Transport;
using static VideoLink.Hardware.Tests.TestSupport;

namespace VideoLink.Hardware.Tests.Transport;

public sealed class NetworkTransportTests
{
    [Fact]
    public async Task Tcp_PeerCloses_ReadThrowsTransportClosed_AndStateIsDisconnected()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using var transport = new TcpTransport("127.0.0.1", port);
        await transport.OpenAsync(CancellationToken.None).AsTask().WaitAsync(Bound);
        using var server = await listener.AcceptSocketAsync().WaitAsync(Bound);

        await transport.WriteAsync(new byte[] { 1, 2, 3 }, CancellationToken.None).AsTask().WaitAsync(Bound);
        var buffer = new byte[8];
        int n = await server.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(Bound);
        Assert.Equal(3, n);
        server.Shutdown(SocketShutdown.Both);
        server.Close();

        await Assert.ThrowsAsync<TransportClosedException>(() => transport.ReadAsync(buffer, CancellationToken.None).AsTask().WaitAsync(Bound));
        Assert.Equal(TransportState.Disconnected, transport.State);
    }

    [Fact]
    public async Task Tcp_NobodyListening_OpenThrowsTransportException()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        await using var transport = new TcpTransport("127.0.0.1", port);

        await Assert.ThrowsAsync<TransportException>(() => transport.OpenAsync(CancellationToken.None).AsTask().WaitAsync(Bound));
        Assert.Equal(TransportState.Disconnected, transport.State);
    }

    [Fact]
    public async Task Udp_DatagramRoundTrip_OneReadPerDatagram()
    {
        using var peer = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)peer.Client.LocalEndPoint!).Port;
        await using var transport = new UdpTransport("127.0.0.1", port);
        await transport.OpenAsync(CancellationToken.None).AsTask().WaitAsync(Bound);

        await transport.WriteAsync(new byte[] { 0x81, 0x01, 0xFF }, CancellationToken.None).AsTask().WaitAsync(Bound);
        var received = await peer.ReceiveAsync().WaitAsync(Bound);
        await peer.SendAsync(new byte[] { 0x90, 0x41, 0xFF }, received.RemoteEndPoint).AsTask().WaitAsync(Bound);
        await peer.SendAsync(new byte[] { 0x90, 0x51, 0xFF }, received.RemoteEndPoint).AsTask().WaitAsync(Bound);

        var buffer = new byte[64];
        int first = await transport.ReadAsync(buffer, CancellationToken.None).AsTask().WaitAsync(Bound);
        Assert.Equal("90 41 FF", ToHex(buffer.AsSpan(0, first)));
        int second = await transport.ReadAsync(buffer, CancellationToken.None).AsTask().WaitAsync(Bound);
        Assert.Equal("90 51 FF", ToHex(buffer.AsSpan(0, second)));
    }
}
