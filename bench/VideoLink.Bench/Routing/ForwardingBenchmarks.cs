#if MEDIA_INTERNALS
using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using VideoLink.Bench.Srtp;
using VideoLink.Bench.Support;
using VideoLink.Media;
using VideoLink.Media.Routing;
using VideoLink.Media.Rtp;
using VideoLink.Media.Srtp;

namespace VideoLink.Bench.Routing;

/// <summary>
/// The receive → route → send path for one 1,200-byte H.264 packet, driven in process the way
/// <c>ForwardingAllocationTests</c> does: publisher <c>OnSrtp</c> (SRTP unprotect, receive statistics, NACK gap
/// check, <c>RtpReceived</c>) → <see cref="MediaForwarder"/> (SSRC/seq/ts/PT rewrite, NACK history) → subscriber
/// <c>SendRtp</c> (SRTP protect, <c>sendto</c> on the endpoint's UDP socket to a loopback sink). Only the socket
/// receive and the RFC 7983 classification before <c>OnSrtp</c> are left out (see PacketClassifierBenchmarks).
/// Each SRTP packet can be received once, so a batch is protected by the "browser" in [IterationSetup].
/// Target: 0 B per forwarded packet in steady state.
/// </summary>
[Config(typeof(BatchConfig))]
public class ForwardingBenchmarks
{
    public const int Batch = 4096;
    private const int RtpLength = SrtpRtpBenchmarks.RtpLength;

    private readonly byte[][] _packets = new byte[Batch][];
    private readonly int[] _lengths = new int[Batch];
    private readonly byte[] _plain = new byte[RtpLength];
    private WebRtcEndpoint _endpoint = null!;
    private WebRtcPeer _publisher = null!;
    private WebRtcPeer _subscriber = null!;
    private MediaForwarder _forwarder = null!;
    private SrtpContext _browser = null!;
    private Socket _sink = null!;
    private SocketAddress _sinkAddress = null!;
    private ushort _sequence;
    private long _forwardedBefore;

    [GlobalSetup]
    public void Setup()
    {
        // Consent is refreshed per iteration below; the long timeout only keeps a slow run from tripping it.
        // SendThreads = 0: protect + sendto inline, so one op is the whole path (a send worker would leave only the copy).
        _endpoint = new WebRtcEndpoint(new MediaOptions { Port = 0, BindAddress = "127.0.0.1", ConsentTimeoutSeconds = 3600, SendThreads = 0 });
        _endpoint.Start();
        _publisher = _endpoint.CreatePeer(BenchOffer.Create("benchpub", "sendonly")).Peer
            ?? throw new InvalidOperationException("publisher offer rejected");
        _subscriber = _endpoint.CreatePeer(BenchOffer.Create("benchsub", "recvonly")).Peer
            ?? throw new InvalidOperationException("subscriber offer rejected");

        // Keys and a selected pair without a handshake: only the per-packet path is measured.
        var publisherKey = BenchKeys.Create(4);
        if (!_publisher.InstallKeys(publisherKey, BenchKeys.Create(5)) || !_subscriber.InstallKeys(BenchKeys.Create(6), BenchKeys.Create(7)))
        {
            throw new InvalidOperationException("keys not installed");
        }

        _sink = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _sink.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _sinkAddress = ((IPEndPoint)_sink.LocalEndPoint!).Serialize();
        _subscriber.OnAuthenticatedBinding(_sinkAddress, useCandidate: true);
        _forwarder = new MediaForwarder(_publisher, _subscriber);
        _browser = new SrtpContext(publisherKey);
        for (var i = 0; i < Batch; i++)
        {
            _packets[i] = new byte[RtpLength + SrtpContext.AuthTagLength];
        }

        for (var i = RtpHeader.FixedLength; i < _plain.Length; i++)
        {
            _plain[i] = (byte)i;
        }

        // Open the keyframe gate (an IDR NAL, type 5) and warm every per-SSRC table and the NACK history.
        _plain[RtpHeader.FixedLength] = 0x65;
        PrepareBatch();
        ForwardOnePacket();
        _plain[RtpHeader.FixedLength] = 0x41; // non-IDR slices from now on
        PrepareBatch();
        ForwardOnePacket();
        ReportAllocationSplit();
    }

    /// <summary>
    /// BenchmarkDotNet's "Allocated" is process-wide (GC.GetTotalAllocatedBytes), so it also counts the endpoint's
    /// background work (its 500 ms maintenance tick, the idle receive loop). This prints the forwarding thread's own
    /// share over one batch, the figure ForwardingAllocationTests asserts, next to the process-wide one.
    /// </summary>
    private void ReportAllocationSplit()
    {
        PrepareBatch();
        var threadBefore = GC.GetAllocatedBytesForCurrentThread();
        var totalBefore = GC.GetTotalAllocatedBytes(precise: true);
        ForwardOnePacket();
        var thread = GC.GetAllocatedBytesForCurrentThread() - threadBefore;
        var total = GC.GetTotalAllocatedBytes(precise: true) - totalBefore;
        CheckBatch();
        Console.WriteLine(
            $"// ForwardingBenchmarks allocation split over {Batch} packets: forwarding thread {thread} B, process-wide {total} B");
    }

    [IterationSetup]
    public void PrepareBatch()
    {
        // What a live browser's checks would do every few seconds (RFC 7675 consent).
        _subscriber.OnAuthenticatedBinding(_sinkAddress, useCandidate: true);
        for (var i = 0; i < Batch; i++)
        {
            ++_sequence;
            RtpWriter.WriteHeader(_plain, false, BenchOffer.VideoPayloadType, _sequence, _sequence * 3000u, BenchOffer.PublisherVideoSsrc);
            _plain.CopyTo(_packets[i], 0);
            _lengths[i] = _browser.ProtectRtp(_packets[i], RtpLength);
        }

        _forwardedBefore = _forwarder.ForwardedPackets;
    }

    [IterationCleanup]
    public void CheckBatch()
    {
        // Guard against timing a path that silently dropped the packets (closed peer, failed auth, keyframe gate).
        var forwarded = _forwarder.ForwardedPackets - _forwardedBefore;
        if (forwarded != Batch)
        {
            throw new InvalidOperationException($"forwarded {forwarded} of {Batch}; counters: {_endpoint.Counters}");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _forwarder.Dispose();
        _browser.Dispose();
        _sink.Dispose();
        _endpoint.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public void ForwardOnePacket()
    {
        for (var i = 0; i < Batch; i++)
        {
            _publisher.OnSrtp(_packets[i].AsSpan(0, _lengths[i]), isRtcp: false);
        }
    }
}
#endif
