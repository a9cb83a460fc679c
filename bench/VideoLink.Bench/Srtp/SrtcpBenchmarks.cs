#if MEDIA_INTERNALS
using BenchmarkDotNet.Attributes;
using VideoLink.Bench.Support;
using VideoLink.Media.Rtp;
using VideoLink.Media.Srtp;

namespace VideoLink.Bench.Srtp;

/// <summary>
/// SRTCP (RFC 3711 §3.4) on a 28-byte sender report, the RTCP packet the forwarder re-issues per publisher SR.
/// Protect assigns a new SRTCP index each time, so protect+unprotect in place never trips the replay window.
/// </summary>
[Config(typeof(ShortConfig))]
public class SrtcpBenchmarks
{
    private const uint Ssrc = 0x0BAD_CAFE;

    private readonly byte[] _buffer = new byte[28 + SrtpContext.SrtcpIndexLength + SrtpContext.AuthTagLength];
    private SrtpContext _sender = null!;
    private SrtpContext _receiver = null!;
    private int _rtcpLength;

    [GlobalSetup]
    public void Setup()
    {
        var key = BenchKeys.Create(3);
        _sender = new SrtpContext(key);
        _receiver = new SrtpContext(key);
        _rtcpLength = RtcpWriter.WriteSenderReport(_buffer, Ssrc, 0xE000_0000_0000_0000UL, 90_000, 100, 120_000);
        ProtectThenUnprotect();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sender.Dispose();
        _receiver.Dispose();
    }

    [Benchmark]
    public int ProtectThenUnprotect()
    {
        var length = _sender.ProtectRtcp(_buffer, _rtcpLength);
        var result = _receiver.UnprotectRtcp(_buffer.AsSpan(0, length), out var rtcpLength);
        return result == SrtpResult.Ok ? rtcpLength : throw new InvalidOperationException($"unprotect failed: {result}");
    }
}
#endif
