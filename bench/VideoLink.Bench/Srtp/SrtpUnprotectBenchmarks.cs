#if MEDIA_INTERNALS
using BenchmarkDotNet.Attributes;
using VideoLink.Bench.Support;
using VideoLink.Media.Rtp;
using VideoLink.Media.Srtp;

namespace VideoLink.Bench.Srtp;

/// <summary>
/// Verify + decrypt alone. Each SRTP packet can be unprotected once (the replay window rejects it afterwards), so an
/// [IterationSetup] protects a fresh batch with continuing sequence numbers and the benchmark unprotects all of it.
/// </summary>
[Config(typeof(BatchConfig))]
public class SrtpUnprotectBenchmarks
{
    public const int Batch = 16384;
    private const uint Ssrc = 0x1234_5678;

    private readonly byte[][] _packets = new byte[Batch][];
    private readonly int[] _lengths = new int[Batch];
    private readonly byte[] _plain = new byte[SrtpRtpBenchmarks.RtpLength];
    private SrtpContext _sender = null!;
    private SrtpContext _receiver = null!;
    private ushort _sequence;

    [GlobalSetup]
    public void Setup()
    {
        var key = BenchKeys.Create(2);
        _sender = new SrtpContext(key);
        _receiver = new SrtpContext(key);
        for (var i = 0; i < Batch; i++)
        {
            _packets[i] = new byte[SrtpRtpBenchmarks.RtpLength + SrtpContext.AuthTagLength];
        }

        for (var i = RtpHeader.FixedLength; i < _plain.Length; i++)
        {
            _plain[i] = (byte)i;
        }

        // Warm the receiver's per-SSRC state so the measured batches are steady state.
        PrepareBatch();
        Unprotect();
    }

    [IterationSetup]
    public void PrepareBatch()
    {
        for (var i = 0; i < Batch; i++)
        {
            RtpWriter.WriteHeader(_plain, false, 108, ++_sequence, _sequence * 3000u, Ssrc);
            _plain.CopyTo(_packets[i], 0);
            _lengths[i] = _sender.ProtectRtp(_packets[i], _plain.Length);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sender.Dispose();
        _receiver.Dispose();
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int Unprotect()
    {
        var total = 0;
        for (var i = 0; i < Batch; i++)
        {
            var result = _receiver.UnprotectRtp(_packets[i].AsSpan(0, _lengths[i]), out var rtpLength);
            if (result != SrtpResult.Ok)
            {
                throw new InvalidOperationException($"unprotect failed: {result}");
            }

            total += rtpLength;
        }

        return total;
    }
}
#endif
