#if MEDIA_INTERNALS
using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using VideoLink.Bench.Support;

namespace VideoLink.Bench.Srtp;

/// <summary>
/// Where one SRTP protect of a 1,200-byte packet spends its time: the same .NET primitives, called the same way as
/// <c>AesCounterMode.Apply</c> and <c>SrtpContext.Authenticate</c> (RFC 3711 §4.1.1, §4.2), step by step. Not a target;
/// read it next to SrtpRtpBenchmarks.Protect. The *Vectorized step shows what a SIMD XOR would cost instead.
/// </summary>
[Config(typeof(ShortConfig))]
public class SrtpCostBreakdownBenchmarks
{
    private const int PayloadLength = SrtpRtpBenchmarks.RtpLength - 12;
    private const int Blocks = (PayloadLength + 15) / 16;

    private readonly byte[] _packet = new byte[SrtpRtpBenchmarks.RtpLength];
    private readonly byte[] _counterBlocks = new byte[2048 + 16];
    private readonly byte[] _keystream = new byte[2048 + 16];
    private readonly byte[] _iv = new byte[16];
    private readonly byte[] _tag = new byte[20];
    private readonly byte[] _hmacKey = new byte[20];
    private readonly byte[] _packetWithRoc = new byte[SrtpRtpBenchmarks.RtpLength + 4];
    private Aes _aes = null!;
    private ICryptoTransform _ecb = null!;
    private IncrementalHash _hmac = null!;

    [GlobalSetup]
    public void Setup()
    {
        _aes = Aes.Create();
        _aes.Key = new byte[16];
        _aes.Mode = CipherMode.ECB;
        _aes.Padding = PaddingMode.None;
        _ecb = _aes.CreateEncryptor();
        _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, new byte[20]);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ecb.Dispose();
        _aes.Dispose();
        _hmac.Dispose();
    }

    /// <summary>Filling 75 counter blocks with Span slices, one block at a time.</summary>
    [Benchmark]
    public int CounterBlocks()
    {
        var counters = _counterBlocks.AsSpan(0, Blocks * 16);
        ReadOnlySpan<byte> iv = _iv;
        for (var j = 0; j < Blocks; j++)
        {
            var block = counters.Slice(j * 16, 16);
            iv[..14].CopyTo(block);
            block[14] = (byte)(j >> 8);
            block[15] = (byte)j;
        }

        return counters[^1];
    }

    /// <summary>AES-128 ECB over those 75 blocks through the reusable ICryptoTransform (OpenSSL underneath).</summary>
    [Benchmark]
    public int AesEcbTransform() => _ecb.TransformBlock(_counterBlocks, 0, Blocks * 16, _keystream, 0);

    /// <summary>The same 75 blocks through the one-shot span API <c>Aes.EncryptEcb</c> (a suggestion).</summary>
    [Benchmark]
    public int AesEcbOneShot() =>
        _aes.EncryptEcb(_counterBlocks.AsSpan(0, Blocks * 16), _keystream.AsSpan(0, Blocks * 16), PaddingMode.None);

    /// <summary>The keystream XOR as written today: one byte per iteration.</summary>
    [Benchmark]
    public byte XorBytewise()
    {
        var data = _packet.AsSpan(12, PayloadLength);
        var keystream = _keystream.AsSpan(0, PayloadLength);
        for (var i = 0; i < data.Length; i++)
        {
            data[i] ^= keystream[i];
        }

        return data[0];
    }

    /// <summary>The same XOR with Vector&lt;byte&gt; (a suggestion, not the hub's code).</summary>
    [Benchmark]
    public byte XorVectorized()
    {
        var data = _packet.AsSpan(12, PayloadLength);
        var keystream = _keystream.AsSpan(0, PayloadLength);
        var i = 0;
        for (; i <= data.Length - Vector<byte>.Count; i += Vector<byte>.Count)
        {
            (new Vector<byte>(data[i..]) ^ new Vector<byte>(keystream[i..])).CopyTo(data[i..]);
        }

        for (; i < data.Length; i++)
        {
            data[i] ^= keystream[i];
        }

        return data[0];
    }

    /// <summary>HMAC-SHA1 over packet || ROC with IncrementalHash, as the auth tag is computed.</summary>
    [Benchmark]
    public bool HmacSha1Tag()
    {
        Span<byte> roc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(roc, 7);
        _hmac.AppendData(_packet);
        _hmac.AppendData(roc);
        return _hmac.TryGetHashAndReset(_tag, out _);
    }

    /// <summary>
    /// One-shot <c>HMACSHA1.TryHashData</c> over packet || ROC laid out contiguously (the ROC written where the tag will
    /// go), a suggestion: no incremental state, but the key is set up again on every call.
    /// </summary>
    [Benchmark]
    public bool HmacSha1OneShot() => HMACSHA1.TryHashData(_hmacKey, _packetWithRoc, _tag, out _);

    /// <summary>The HMAC's fixed cost: the same calls over 4 bytes.</summary>
    [Benchmark]
    public bool HmacSha1FixedCost()
    {
        _hmac.AppendData(_packet.AsSpan(0, 4));
        return _hmac.TryGetHashAndReset(_tag, out _);
    }
}
#endif
