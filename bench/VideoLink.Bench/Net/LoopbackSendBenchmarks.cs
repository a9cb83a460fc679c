#if MEDIA_INTERNALS
using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using VideoLink.Bench.Srtp;
using VideoLink.Bench.Support;

namespace VideoLink.Bench.Net;

/// <summary>
/// The kernel's share of ForwardingBenchmarks: one <c>SendTo(span, SocketAddress)</c> of a 1,210-byte SRTP datagram to
/// a loopback sink, the call <c>UdpMuxSocket.Send</c> makes. Not a target; a floor for the forward path.
/// </summary>
[Config(typeof(ShortConfig))]
public class LoopbackSendBenchmarks
{
    private readonly byte[] _datagram = new byte[SrtpRtpBenchmarks.RtpLength + 10];
    private Socket _sender = null!;
    private Socket _sink = null!;
    private SocketAddress _sinkAddress = null!;

    [GlobalSetup]
    public void Setup()
    {
        _sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _sender.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _sink = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _sink.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _sinkAddress = ((IPEndPoint)_sink.LocalEndPoint!).Serialize();
        _datagram[0] = 0x80;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sender.Dispose();
        _sink.Dispose();
    }

    [Benchmark]
    public int SendTo() => _sender.SendTo(_datagram, SocketFlags.None, _sinkAddress);
}
#endif
