using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace VideoLink.Sip.Registrar;

internal enum DigestOutcome
{
    Ok,
    /// <summary>Well-formed but the nonce expired: challenge again with stale=true (RFC 7616 §3.3).</summary>
    Stale,
    /// <summary>Response did not match: wrong password (or wrong user).</summary>
    WrongResponse,
    /// <summary>A nonce we never issued, a realm that is not ours, or an unsupported algorithm.</summary>
    Invalid,
    /// <summary>nc did not increase or a qop-less nonce was used twice (RFC 7616 §3.4).</summary>
    Replay,
}

/// <summary>
/// Digest authentication (RFC 3261 §22, RFC 7616, RFC 8760 SHA-256 and MD5, qop=auth). Nonces are signed
/// (time + random + HMAC) so any node can check them without state; per-nonce nc is tracked to stop reuse.
/// </summary>
internal sealed class DigestAuthenticator
{
    private const int MaxTrackedNonces = 200_000;

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, NonceUse> _used = new(StringComparer.Ordinal);
    private readonly SipOptions _options;
    private readonly TimeProvider _time;

    private readonly string[] _algorithms;

    public DigestAuthenticator(SipOptions options, TimeProvider time)
    {
        _options = options;
        _algorithms = options.DigestAlgorithmList;
        _time = time;
    }

    public string Realm => _options.EffectiveRealm;

    /// <summary>One challenge header value per configured algorithm, preferred first (RFC 8760 §2.4).</summary>
    public IEnumerable<string> CreateChallenges(bool stale)
    {
        string nonce = NewNonce();
        foreach (string algorithm in _algorithms)
        {
            var sb = new StringBuilder(160);
            sb.Append("Digest realm=\"").Append(Realm).Append("\", nonce=\"").Append(nonce)
                .Append("\", algorithm=").Append(algorithm).Append(", qop=\"auth\"");
            if (stale)
            {
                sb.Append(", stale=TRUE");
            }
            yield return sb.ToString();
        }
    }

    internal string NewNonce()
    {
        Span<byte> raw = stackalloc byte[32];
        BinaryPrimitives.WriteInt64BigEndian(raw, _time.GetUtcNow().ToUnixTimeMilliseconds());
        RandomNumberGenerator.Fill(raw.Slice(8, 8));
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, raw[..16], mac);
        mac[..16].CopyTo(raw[16..]);
        return Convert.ToHexStringLower(raw);
    }

    private bool TryCheckNonce(string nonce, out bool expired)
    {
        expired = false;
        if (nonce.Length != 64)
        {
            return false;
        }
        Span<byte> raw = stackalloc byte[32];
        if (Convert.FromHexString(nonce, raw, out _, out int written) != System.Buffers.OperationStatus.Done || written != 32)
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
        expired = _time.GetUtcNow().ToUnixTimeMilliseconds() - issued > (long)_options.NonceLifetime.TotalMilliseconds;
        return true;
    }

    public DigestOutcome Verify(DigestCredentials c, string method, string password) =>
        Verify(c, method, sha256 => Hash(sha256, $"{c.Username}:{c.Realm}:{password}"));

    /// <summary>
    /// Verifies against an account. The hub keeps no SIP passwords, only HA1 = H(user:realm:password) per algorithm
    /// (RFC 7616 §3.4.2 allows storing HA1 instead of the password), so either form is accepted.
    /// </summary>
    public DigestOutcome Verify(DigestCredentials c, string method, SipAccount account) =>
        account.Password is { } password
            ? Verify(c, method, password)
            : Verify(c, method, sha256 => sha256 ? account.Ha1Sha256 : account.Ha1Md5);

    private DigestOutcome Verify(DigestCredentials c, string method, Func<bool, string?> ha1For)
    {
        if (!string.Equals(c.Realm, Realm, StringComparison.Ordinal) || c.Nonce is null || c.Response is null || c.Uri is null)
        {
            return DigestOutcome.Invalid;
        }
        string algorithm = c.Algorithm;
        if (!algorithm.Equals("MD5", StringComparison.OrdinalIgnoreCase) && !algorithm.Equals("SHA-256", StringComparison.OrdinalIgnoreCase))
        {
            return DigestOutcome.Invalid;
        }
        if (!TryCheckNonce(c.Nonce, out bool expired))
        {
            return DigestOutcome.Invalid;
        }
        bool sha256 = algorithm.Equals("SHA-256", StringComparison.OrdinalIgnoreCase);
        if (ha1For(sha256) is not { } ha1)
        {
            return DigestOutcome.WrongResponse;
        }

        string ha2 = Hash(sha256, $"{method}:{c.Uri}");
        string expected;
        uint nc = 0;
        if (c.Qop is { } qop)
        {
            if (!qop.Equals("auth", StringComparison.OrdinalIgnoreCase) || c.CNonce is null || c.Nc is null
                || c.Nc.Length != 8 || !uint.TryParse(c.Nc, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out nc))
            {
                return DigestOutcome.Invalid;
            }
            expected = Hash(sha256, $"{ha1}:{c.Nonce}:{c.Nc}:{c.CNonce}:{qop}:{ha2}");
        }
        else
        {
            expected = Hash(sha256, $"{ha1}:{c.Nonce}:{ha2}");
        }
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(c.Response.ToLowerInvariant())))
        {
            return DigestOutcome.WrongResponse;
        }
        if (expired)
        {
            return DigestOutcome.Stale;
        }
        return RecordUse(c.Nonce, nc) ? DigestOutcome.Ok : DigestOutcome.Replay;
    }

    /// <summary>Each nonce accepts strictly increasing nc (a qop-less nonce is usable once).</summary>
    private bool RecordUse(string nonce, uint nc)
    {
        if (_used.Count > MaxTrackedNonces)
        {
            Purge();
        }
        var now = _time.GetUtcNow();
        while (true)
        {
            if (_used.TryGetValue(nonce, out var use))
            {
                if (nc <= use.LastNc)
                {
                    return false;
                }
                if (_used.TryUpdate(nonce, use with { LastNc = nc }, use))
                {
                    return true;
                }
            }
            else if (_used.TryAdd(nonce, new NonceUse(nc, now)))
            {
                return true;
            }
        }
    }

    /// <summary>Forgets nonces past their lifetime: they fail the expiry check anyway.</summary>
    public void Purge()
    {
        var limit = _time.GetUtcNow() - _options.NonceLifetime - TimeSpan.FromMinutes(1);
        foreach (var kv in _used)
        {
            if (kv.Value.FirstUse < limit)
            {
                _used.TryRemove(kv);
            }
        }
    }

    private static string Hash(bool sha256, string text)
    {
        byte[] input = Encoding.UTF8.GetBytes(text);
#pragma warning disable CA5351 // MD5 is what RFC 3261 digest requires for older phones; SHA-256 is offered first.
        return Convert.ToHexStringLower(sha256 ? SHA256.HashData(input) : MD5.HashData(input));
#pragma warning restore CA5351
    }

    private sealed record NonceUse(uint LastNc, DateTimeOffset FirstUse);
}
