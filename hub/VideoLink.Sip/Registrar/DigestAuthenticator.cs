using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace VideoLink.Sip.Registrar;

internal enum DigestOutcome
{
    Ok,
    /// <summary>Well-formed but the nonce expired (or its replay slot was reused): challenge again with stale=true (RFC 7616 §3.3).</summary>
    Stale,
    /// <summary>Response did not match: wrong password (or wrong user).</summary>
    WrongResponse,
    /// <summary>A nonce we never issued, a realm that is not ours, or an unsupported algorithm.</summary>
    Invalid,
    /// <summary>nc did not increase or a qop-less nonce was used twice (RFC 7616 §3.4).</summary>
    Replay,
}

/// <summary>
/// Digest authentication (RFC 3261 §22, RFC 7616, RFC 8760 SHA-256 and MD5, qop=auth). A nonce is
/// issue time + sequence number + HMAC, so it is checked without a look-up. Reuse is stopped by a fixed ring of
/// "highest nc seen" slots indexed by the sequence number (the scheme of Kamailio's nc_array): no dictionary, no
/// purge, no lock; a nonce whose slot was taken by a nonce issued <see cref="ReplaySlots"/> later is stale.
/// </summary>
internal sealed class DigestAuthenticator
{
    /// <summary>Nonces tracked at once: 2^20 (8 MiB) covers the 300 s nonce lifetime at 3,500 challenges/s.</summary>
    internal const int ReplaySlots = 1 << 20;

    private const int NonceBytes = 32; // 8 issue time (ms) + 8 sequence + 16 HMAC-SHA256 (truncated)
    private const int MaxHashInput = 2048;

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly long[] _highestNc; // per slot: highest nc used + 1; 0 = unused
    private readonly long _slotMask;
    private long _issued;
    private readonly SipOptions _options;
    private readonly TimeProvider _time;
    private readonly string[] _algorithms;
    private readonly string _challengeStart;

    /// <param name="replaySlots">A power of two; smaller only in tests, to see a slot reused.</param>
    public DigestAuthenticator(SipOptions options, TimeProvider time, int replaySlots = ReplaySlots)
    {
        if (replaySlots <= 0 || (replaySlots & (replaySlots - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(replaySlots), "must be a power of two");
        }
        _highestNc = new long[replaySlots];
        _slotMask = replaySlots - 1;
        _options = options;
        _algorithms = options.DigestAlgorithmList;
        _time = time;
        _challengeStart = "Digest realm=\"" + Realm + "\", nonce=\"";
    }

    public string Realm => _options.EffectiveRealm;

    /// <summary>One challenge header value per configured algorithm, preferred first (RFC 8760 §2.4).</summary>
    public string[] CreateChallenges(bool stale)
    {
        string nonce = NewNonce();
        var challenges = new string[_algorithms.Length];
        for (int i = 0; i < challenges.Length; i++)
        {
            challenges[i] = string.Concat(_challengeStart, nonce, "\", algorithm=", _algorithms[i],
                stale ? ", qop=\"auth\", stale=TRUE" : ", qop=\"auth\"");
        }
        return challenges;
    }

    internal string NewNonce()
    {
        long sequence = Interlocked.Increment(ref _issued);
        Volatile.Write(ref _highestNc[sequence & _slotMask], 0); // the slot's previous nonce is stale from now on
        Span<byte> raw = stackalloc byte[NonceBytes];
        BinaryPrimitives.WriteInt64BigEndian(raw, _time.GetUtcNow().ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteInt64BigEndian(raw[8..], sequence);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, raw[..16], mac);
        mac[..16].CopyTo(raw[16..]);
        return Convert.ToHexStringLower(raw);
    }

    private bool TryCheckNonce(string nonce, out bool expired, out long sequence)
    {
        expired = false;
        sequence = 0;
        if (nonce.Length != NonceBytes * 2)
        {
            return false;
        }
        Span<byte> raw = stackalloc byte[NonceBytes];
        if (Convert.FromHexString(nonce, raw, out _, out int written) != OperationStatus.Done || written != NonceBytes)
        {
            return false;
        }
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, raw[..16], mac);
        if (!CryptographicOperations.FixedTimeEquals(mac[..16], raw[16..]))
        {
            return false;
        }
        long issued = BinaryPrimitives.ReadInt64BigEndian(raw);
        sequence = BinaryPrimitives.ReadInt64BigEndian(raw[8..]);
        expired = _time.GetUtcNow().ToUnixTimeMilliseconds() - issued > (long)_options.NonceLifetime.TotalMilliseconds;
        return true;
    }

    /// <summary>Verifies against a plaintext password (tests and small set-ups).</summary>
    public DigestOutcome Verify(DigestCredentials c, string method, string password)
    {
        if (c.Username is null || !IsSupportedAlgorithm(c.Algorithm, out bool sha256))
        {
            return DigestOutcome.Invalid;
        }
        Span<byte> ha1 = stackalloc byte[64];
        var input = new HashInput(stackalloc byte[MaxHashInput]);
        if (!input.Append(c.Username) || !input.Append(':') || !input.Append(Realm) || !input.Append(':') || !input.Append(password))
        {
            return DigestOutcome.Invalid;
        }
        int length = HashHex(sha256, input.Written, ha1);
        return Verify(c, method, ha1[..length]);
    }

    /// <summary>
    /// Verifies against an account. The hub keeps no SIP passwords, only HA1 = H(user:realm:password) per algorithm
    /// (RFC 7616 §3.4.2 allows storing HA1 instead of the password), so either form is accepted.
    /// </summary>
    public DigestOutcome Verify(DigestCredentials c, string method, SipAccount account)
    {
        if (account.Password is { } password)
        {
            return Verify(c, method, password);
        }
        if (!IsSupportedAlgorithm(c.Algorithm, out bool sha256))
        {
            return DigestOutcome.Invalid;
        }
        if ((sha256 ? account.Ha1Sha256 : account.Ha1Md5) is not { Length: <= 64 } stored)
        {
            return DigestOutcome.WrongResponse;
        }
        Span<byte> ha1 = stackalloc byte[64];
        int length = Encoding.ASCII.GetBytes(stored, ha1);
        return Verify(c, method, ha1[..length]);
    }

    private static bool IsSupportedAlgorithm(string algorithm, out bool sha256)
    {
        sha256 = algorithm.Equals("SHA-256", StringComparison.OrdinalIgnoreCase);
        return sha256 || algorithm.Equals("MD5", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The check itself, with <paramref name="ha1"/> as lower-case hex; no strings are built.</summary>
    private DigestOutcome Verify(DigestCredentials c, string method, ReadOnlySpan<byte> ha1)
    {
        if (!string.Equals(c.Realm, Realm, StringComparison.Ordinal) || c.Nonce is null || c.Response is null || c.Uri is null)
        {
            return DigestOutcome.Invalid;
        }
        if (!IsSupportedAlgorithm(c.Algorithm, out bool sha256))
        {
            return DigestOutcome.Invalid;
        }
        if (!TryCheckNonce(c.Nonce, out bool expired, out long sequence))
        {
            return DigestOutcome.Invalid;
        }
        uint nc = 0;
        if (c.Qop is { } qop && (!qop.Equals("auth", StringComparison.OrdinalIgnoreCase) || c.CNonce is null || c.Nc is null
            || c.Nc.Length != 8 || !uint.TryParse(c.Nc, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out nc)))
        {
            return DigestOutcome.Invalid;
        }

        // HA2 = H(method:uri); response = H(HA1:nonce:nc:cnonce:qop:HA2), or H(HA1:nonce:HA2) without qop (RFC 7616 §3.4.1).
        Span<byte> ha2 = stackalloc byte[64];
        var input = new HashInput(stackalloc byte[MaxHashInput]);
        if (!input.Append(method) || !input.Append(':') || !input.Append(c.Uri))
        {
            return DigestOutcome.Invalid;
        }
        int ha2Length = HashHex(sha256, input.Written, ha2);
        input.Reset();
        bool fits = input.Append(ha1) && input.Append(':') && input.Append(c.Nonce) && input.Append(':');
        if (c.Qop is not null)
        {
            fits = fits && input.Append(c.Nc!) && input.Append(':') && input.Append(c.CNonce!) && input.Append(':') && input.Append(c.Qop) && input.Append(':');
        }
        if (!fits || !input.Append(ha2[..ha2Length]))
        {
            return DigestOutcome.Invalid;
        }
        Span<byte> expected = stackalloc byte[64];
        int expectedLength = HashHex(sha256, input.Written, expected);
        Span<byte> given = stackalloc byte[64];
        if (c.Response.Length != expectedLength
            || System.Text.Ascii.ToLower(c.Response, given, out int givenLength) != OperationStatus.Done
            || !CryptographicOperations.FixedTimeEquals(expected[..expectedLength], given[..givenLength]))
        {
            return DigestOutcome.WrongResponse;
        }
        if (expired)
        {
            return DigestOutcome.Stale;
        }
        return RecordUse(sequence, nc);
    }

    /// <summary>Each nonce accepts strictly increasing nc (a qop-less nonce, nc 0, is usable once).</summary>
    private DigestOutcome RecordUse(long sequence, uint nc)
    {
        ref long slot = ref _highestNc[sequence & _slotMask];
        long used = (long)nc + 1;
        while (true)
        {
            if (sequence <= 0 || Volatile.Read(ref _issued) - sequence >= _highestNc.Length)
            {
                return DigestOutcome.Stale; // its slot now belongs to a newer nonce
            }
            long seen = Volatile.Read(ref slot);
            if (used <= seen)
            {
                return DigestOutcome.Replay;
            }
            if (Interlocked.CompareExchange(ref slot, used, seen) == seen)
            {
                // A newer nonce may have taken the slot meanwhile: then this use counts for nothing.
                return Volatile.Read(ref _issued) - sequence >= _highestNc.Length ? DigestOutcome.Stale : DigestOutcome.Ok;
            }
        }
    }

    private static int HashHex(bool sha256, ReadOnlySpan<byte> input, Span<byte> hex)
    {
        Span<byte> digest = stackalloc byte[32];
#pragma warning disable CA5351 // MD5 is what RFC 3261 digest requires for older phones; SHA-256 is offered too.
        int length = sha256 ? SHA256.HashData(input, digest) : MD5.HashData(input, digest);
#pragma warning restore CA5351
        Convert.TryToHexStringLower(digest[..length], hex, out int written);
        return written;
    }

    /// <summary>UTF-8 bytes to hash, written into a caller's stack buffer; false when it would not fit.</summary>
    private ref struct HashInput(Span<byte> buffer)
    {
        private readonly Span<byte> _buffer = buffer;
        private int _length;

        public readonly ReadOnlySpan<byte> Written => _buffer[.._length];

        public void Reset() => _length = 0;

        public bool Append(char c)
        {
            if (_length >= _buffer.Length)
            {
                return false;
            }
            _buffer[_length++] = (byte)c;
            return true;
        }

        public bool Append(string s)
        {
            if (Encoding.UTF8.GetMaxByteCount(s.Length) > _buffer.Length - _length && Encoding.UTF8.GetByteCount(s) > _buffer.Length - _length)
            {
                return false;
            }
            _length += Encoding.UTF8.GetBytes(s, _buffer[_length..]);
            return true;
        }

        public bool Append(ReadOnlySpan<byte> bytes)
        {
            if (bytes.Length > _buffer.Length - _length)
            {
                return false;
            }
            bytes.CopyTo(_buffer[_length..]);
            _length += bytes.Length;
            return true;
        }
    }
}
