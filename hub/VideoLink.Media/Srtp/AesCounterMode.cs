using System.Security.Cryptography;

namespace VideoLink.Media.Srtp;

/// <summary>
/// AES in counter mode as SRTP uses it (RFC 3711 §4.1.1): the keystream is E(k, IV + j) for j = 0, 1, ….
/// One reusable ECB transform and one scratch buffer, so encrypting a packet allocates nothing.
/// Not thread-safe: one instance per SRTP context, and a context is used by one thread at a time.
/// </summary>
internal sealed class AesCounterMode : IDisposable
{
    /// <summary>Large enough for any datagram we accept (RFC 7983 demux runs on a 2 KB receive buffer).</summary>
    public const int MaxPayload = 2048;

    private readonly Aes _aes;
    private readonly ICryptoTransform _ecb;
    private readonly byte[] _counterBlocks = new byte[MaxPayload + 16];
    private readonly byte[] _keystream = new byte[MaxPayload + 16];

    public AesCounterMode(ReadOnlySpan<byte> key)
    {
        _aes = Aes.Create();
        _aes.Key = key.ToArray();
        _aes.Mode = CipherMode.ECB;
        _aes.Padding = PaddingMode.None;
        _ecb = _aes.CreateEncryptor();
    }

    /// <summary>XORs <paramref name="data"/> in place with the keystream starting at <paramref name="iv"/>.</summary>
    public void Apply(ReadOnlySpan<byte> iv, Span<byte> data) => ApplyAt(iv, 0, data);

    /// <summary>
    /// XORs <paramref name="data"/> in place with the keystream from byte <paramref name="offset"/> on: the same
    /// bytes <see cref="Apply"/> would use for that part of a longer payload, without computing the blocks before it.
    /// </summary>
    public void ApplyAt(ReadOnlySpan<byte> iv, int offset, Span<byte> data)
    {
        if (offset < 0 || offset + data.Length > MaxPayload)
        {
            throw new ArgumentException("Payload too large for SRTP.", nameof(data));
        }

        var first = offset / 16;
        var skip = offset % 16;
        var blocks = (skip + data.Length + 15) / 16;
        if (data.Length == 0)
        {
            return;
        }

        // The block counter occupies the low 16 bits of the IV (RFC 3711 §4.1.1); the IV's own low 16 bits are zero.
        var counters = _counterBlocks.AsSpan(0, blocks * 16);
        for (var j = 0; j < blocks; j++)
        {
            var block = counters.Slice(j * 16, 16);
            iv[..14].CopyTo(block);
            block[14] = (byte)((first + j) >> 8);
            block[15] = (byte)(first + j);
        }

        _ecb.TransformBlock(_counterBlocks, 0, blocks * 16, _keystream, 0);
        Xor(data, _keystream.AsSpan(skip, data.Length));
    }

    /// <summary>data ^= keystream, a vector at a time (the byte loop was ~30% of a 1,200-byte protect; bench/RESULTS.md).</summary>
    internal static void Xor(Span<byte> data, ReadOnlySpan<byte> keystream)
    {
        var i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated)
        {
            var width = System.Numerics.Vector<byte>.Count;
            for (; i + width <= data.Length; i += width)
            {
                var d = new System.Numerics.Vector<byte>(data[i..]);
                var k = new System.Numerics.Vector<byte>(keystream[i..]);
                (d ^ k).CopyTo(data[i..]);
            }
        }

        for (; i < data.Length; i++)
        {
            data[i] ^= keystream[i];
        }
    }

    /// <summary>Keystream only, for the RFC 3711 B.2 test vector.</summary>
    public void Keystream(ReadOnlySpan<byte> iv, Span<byte> output)
    {
        output.Clear();
        Apply(iv, output);
    }

    public void Dispose()
    {
        _ecb.Dispose();
        _aes.Dispose();
    }
}
