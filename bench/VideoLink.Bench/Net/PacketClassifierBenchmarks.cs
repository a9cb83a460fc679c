#if MEDIA_INTERNALS
using BenchmarkDotNet.Attributes;
using VideoLink.Bench.Support;
using VideoLink.Media.Net;

namespace VideoLink.Bench.Net;

/// <summary>RFC 7983 demultiplexing of the shared port, one datagram of each kind (STUN, DTLS, SRTP, SRTCP).</summary>
[Config(typeof(ShortConfig))]
public class PacketClassifierBenchmarks
{
    private readonly byte[][] _datagrams =
    [
        [0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xA4, 0x42],  // STUN Binding Request
        [22, 0xFE, 0xFD, 0x00, 0x00],                      // DTLS handshake record
        [0x80, 108, 0x00, 0x01, 0x00, 0x00, 0x0B, 0xB8],   // SRTP, PT 108
        [0x80, 200, 0x00, 0x06, 0x0B, 0xAD, 0xCA, 0xFE],   // SRTCP sender report
    ];

    [Benchmark(OperationsPerInvoke = 4)]
    public int Classify()
    {
        var sum = 0;
        foreach (var datagram in _datagrams)
        {
            sum += (int)PacketClassifier.Classify(datagram);
        }

        return sum;
    }
}
#endif
