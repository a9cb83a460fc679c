#if MEDIA_INTERNALS
using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using VideoLink.Bench.Support;
using VideoLink.Media.Rtp;
using VideoLink.Media.Srtp;

namespace VideoLink.Bench.Srtp;

/// <summary>
/// SRTP on a 1,200-byte RTP packet (12-byte header, 1,188-byte payload), in place, as <c>WebRtcPeer</c> does it, with
/// either profile: AES_CM_128_HMAC_SHA1_80 (RFC 3711) and AEAD_AES_128_GCM (RFC 7714).
/// Target (issue 3 item 9): ≥ 200,000 protect+unprotect per second per core, 0 B per op.
/// </summary>
[Config(typeof(ShortConfig))]
public class SrtpRtpBenchmarks
{
    public const int RtpLength = 1200;
    private const uint Ssrc = 0x1234_5678;

    private readonly byte[] _buffer = new byte[RtpLength + SrtpContext.MaxTagLength];
    private SrtpContext _sender = null!;
    private SrtpContext _receiver = null!;
    private ushort _sequence;

    /// <summary>False: AES_CM_128_HMAC_SHA1_80; true: AEAD_AES_128_GCM.</summary>
    [Params(false, true)]
    public bool Gcm { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var key = BenchKeys.Create(1, Gcm ? SrtpProfile.AeadAes128Gcm : SrtpProfile.AesCm128HmacSha1_80);
        _sender = new SrtpContext(key);
        _receiver = new SrtpContext(key);
        var header = RtpWriter.WriteHeader(_buffer, false, 108, 0, 0, Ssrc);
        for (var i = header; i < RtpLength; i++)
        {
            _buffer[i] = (byte)i;
        }

        // First packet of the SSRC creates its state (one allocation, outside the measured steady state).
        ProtectThenUnprotect();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sender.Dispose();
        _receiver.Dispose();
    }

    /// <summary>Encrypt + tag. The buffer is re-encrypted each time (the cost does not depend on the bytes).</summary>
    [Benchmark]
    public int Protect()
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(2), ++_sequence);
        return _sender.ProtectRtp(_buffer, RtpLength);
    }

    /// <summary>One packet through both directions, i.e. what a forwarded packet costs in SRTP.</summary>
    [Benchmark]
    public int ProtectThenUnprotect()
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(2), ++_sequence);
        var length = _sender.ProtectRtp(_buffer, RtpLength);
        var result = _receiver.UnprotectRtp(_buffer.AsSpan(0, length), out var rtpLength);
        return result == SrtpResult.Ok ? rtpLength : throw new InvalidOperationException($"unprotect failed: {result}");
    }
}
#endif
