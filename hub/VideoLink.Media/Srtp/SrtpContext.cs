using System.Buffers.Binary;
using System.Security.Cryptography;

namespace VideoLink.Media.Srtp;

/// <summary>Outcome of an SRTP/SRTCP operation; anything but <see cref="Ok"/> means drop and count.</summary>
internal enum SrtpResult
{
    Ok,
    Malformed,
    AuthenticationFailed,
    Replayed,
}

/// <summary>
/// One direction of SRTP and SRTCP (RFC 3711, RFC 5764 §4.1.2) with AES_CM_128_HMAC_SHA1_80 or AEAD_AES_128_GCM
/// (RFC 7714): either everything we send to a peer (protect) or everything we receive from it (unprotect). Keeps
/// per-SSRC rollover counters and replay windows. Works in place on the caller's buffer and allocates nothing per
/// packet after an SSRC's first packet. Not thread-safe: the owner serialises calls.
/// </summary>
internal sealed class SrtpContext : IDisposable
{
    /// <summary>The HMAC-SHA1-80 tag of AES_CM_128_HMAC_SHA1_80.</summary>
    public const int AuthTagLength = 10;

    /// <summary>The longest tag of any profile (GCM's 16 bytes): the room a buffer keeps after a packet to protect it.</summary>
    public const int MaxTagLength = 16;
    public const int SrtcpIndexLength = 4;
    private const int MaxSsrcs = 64;
    private const int GcmNonceLength = 12;

    // AES-CM: counter mode + HMAC. GCM: AesGcm does both; the RTP counter mode is kept only for DecryptTailUnverified
    // (GCM encrypts with the same keystream, counter block = nonce || 2 + j).
    private readonly AesCounterMode _rtpCipher;
    private readonly AesCounterMode? _rtcpCipher;
    private readonly IncrementalHash? _rtpAuth;
    private readonly IncrementalHash? _rtcpAuth;
    private readonly AesGcm? _rtpAead;
    private readonly AesGcm? _rtcpAead;
    private readonly byte[] _rtpSalt;
    private readonly byte[] _rtcpSalt;
    private readonly Dictionary<uint, SsrcState> _streams = [];
    private readonly Dictionary<uint, RtcpState> _rtcpStreams = [];

    public SrtpContext(SrtpMasterKey master)
    {
        Profile = master.Profile;
        TagLength = Profile.TagLength();
        var saltLength = Profile == SrtpProfile.AeadAes128Gcm ? GcmNonceLength : 14;
        _rtpSalt = new byte[saltLength];
        _rtcpSalt = new byte[saltLength];
        Span<byte> key = stackalloc byte[16];
        Span<byte> auth = stackalloc byte[20];
        SrtpKeyDerivation.Derive(master, SrtpLabel.RtpEncryption, key);
        _rtpCipher = new AesCounterMode(key);
        SrtpKeyDerivation.Derive(master, SrtpLabel.RtpSalt, _rtpSalt);
        SrtpKeyDerivation.Derive(master, SrtpLabel.RtcpSalt, _rtcpSalt);
        if (Profile == SrtpProfile.AeadAes128Gcm)
        {
            _rtpAead = new AesGcm(key, MaxTagLength);
            SrtpKeyDerivation.Derive(master, SrtpLabel.RtcpEncryption, key);
            _rtcpAead = new AesGcm(key, MaxTagLength);
        }
        else
        {
            SrtpKeyDerivation.Derive(master, SrtpLabel.RtpAuthentication, auth);
            _rtpAuth = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, auth);
            SrtpKeyDerivation.Derive(master, SrtpLabel.RtcpEncryption, key);
            _rtcpCipher = new AesCounterMode(key);
            SrtpKeyDerivation.Derive(master, SrtpLabel.RtcpAuthentication, auth);
            _rtcpAuth = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, auth);
        }

        key.Clear();
        auth.Clear();
    }

    public SrtpProfile Profile { get; }

    /// <summary>Bytes the tag adds to each packet: 10 (HMAC-SHA1-80) or 16 (GCM).</summary>
    public int TagLength { get; }

    /// <summary>Rollover counter currently held for an SSRC (tests and diagnostics).</summary>
    public uint GetRolloverCounter(uint ssrc) => _streams.TryGetValue(ssrc, out var s) ? s.Roc : 0;

    /// <summary>
    /// Encrypts an RTP packet of <paramref name="length"/> bytes in place and appends the 10-byte tag.
    /// <paramref name="buffer"/> must have room for it. Returns the SRTP length, or -1 for a malformed packet.
    /// </summary>
    public int ProtectRtp(Span<byte> buffer, int length)
    {
        var headerLength = RtpHeaderLength(buffer[..length]);
        if (headerLength < 0 || buffer.Length < length + TagLength)
        {
            return -1;
        }

        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(buffer[8..]);
        var seq = BinaryPrimitives.ReadUInt16BigEndian(buffer[2..]);
        var state = GetStream(ssrc);
        if (state is null)
        {
            return -1;
        }

        // RFC 3711 §3.3.1: the sender increments ROC when SEQ wraps.
        if (!state.Started)
        {
            state.Started = true;
            state.HighestSeq = seq;
        }
        else if (seq < state.HighestSeq && state.HighestSeq - seq > 0x8000)
        {
            state.Roc++;
            state.HighestSeq = seq;
        }
        else if (seq > state.HighestSeq && seq - state.HighestSeq < 0x8000)
        {
            state.HighestSeq = seq;
        }

        // A packet from before the last wrap (a retransmission) still uses the previous ROC.
        var roc = seq > state.HighestSeq && seq - state.HighestSeq > 0x8000 && state.Roc > 0 ? state.Roc - 1 : state.Roc;
        var index = ((ulong)roc << 16) | seq;
        if (_rtpAead is { } aead)
        {
            // RFC 7714 §8: the header is associated data, the payload is encrypted in place, the tag follows it.
            Span<byte> nonce = stackalloc byte[GcmNonceLength];
            BuildRtpNonce(_rtpSalt, ssrc, roc, seq, nonce);
            var payload = buffer[headerLength..length];
            aead.Encrypt(nonce, payload, payload, buffer.Slice(length, MaxTagLength), buffer[..headerLength]);
            return length + MaxTagLength;
        }

        Span<byte> iv = stackalloc byte[16];
        BuildIv(_rtpSalt, ssrc, index, iv);
        _rtpCipher.Apply(iv, buffer[headerLength..length]);
        Authenticate(_rtpAuth!, buffer[..length], roc, buffer.Slice(length, AuthTagLength));
        return length + AuthTagLength;
    }

    /// <summary>
    /// Verifies and decrypts an SRTP packet in place. On <see cref="SrtpResult.Ok"/> <paramref name="rtpLength"/>
    /// is the plain RTP length.
    /// </summary>
    public SrtpResult UnprotectRtp(Span<byte> packet, out int rtpLength)
    {
        rtpLength = 0;
        if (packet.Length < 12 + TagLength)
        {
            return SrtpResult.Malformed;
        }

        var authenticated = packet[..^TagLength];
        var headerLength = RtpHeaderLength(authenticated);
        if (headerLength < 0)
        {
            return SrtpResult.Malformed;
        }

        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[8..]);
        var seq = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);

        // State is created only for packets that authenticate, so garbage cannot fill the SSRC table.
        _streams.TryGetValue(ssrc, out var state);
        state ??= Unstarted;

        var roc = EstimateRoc(state, seq);
        var index = ((ulong)roc << 16) | seq;
        if (state.Started && !state.Window.Check(index))
        {
            return SrtpResult.Replayed;
        }

        if (_rtpAead is { } aead)
        {
            // Decrypted in place and verified in one call; on a bad tag the payload is wiped and the packet dropped.
            Span<byte> nonce = stackalloc byte[GcmNonceLength];
            BuildRtpNonce(_rtpSalt, ssrc, roc, seq, nonce);
            var payload = authenticated[headerLength..];
            try
            {
                aead.Decrypt(nonce, payload, packet[^MaxTagLength..], payload, authenticated[..headerLength]);
            }
            catch (AuthenticationTagMismatchException)
            {
                return SrtpResult.AuthenticationFailed;
            }
        }
        else
        {
            Span<byte> tag = stackalloc byte[AuthTagLength];
            Authenticate(_rtpAuth!, authenticated, roc, tag);
            if (!CryptographicOperations.FixedTimeEquals(tag, packet[^AuthTagLength..]))
            {
                return SrtpResult.AuthenticationFailed;
            }
        }

        // Only now, with the tag verified, move ROC, highest SEQ and the replay window (RFC 3711 §3.3.2).
        if (ReferenceEquals(state, Unstarted))
        {
            state = GetStream(ssrc);
            if (state is null)
            {
                return SrtpResult.Malformed;
            }
        }

        var highestIndex = ((ulong)state.Roc << 16) | state.HighestSeq;
        if (!state.Started || index > highestIndex)
        {
            state.Roc = roc;
            state.HighestSeq = seq;
        }

        state.Started = true;
        state.Window.Accept(index);
        if (_rtpAead is null)
        {
            Span<byte> iv = stackalloc byte[16];
            BuildIv(_rtpSalt, ssrc, index, iv);
            _rtpCipher.Apply(iv, authenticated[headerLength..]);
        }

        rtpLength = authenticated.Length;
        return SrtpResult.Ok;
    }

    /// <summary>RFC 3711 Appendix A: the ROC the sender most likely used for <paramref name="seq"/>.</summary>
    private static uint EstimateRoc(SsrcState state, ushort seq)
    {
        var roc = state.Roc;
        if (state.Started)
        {
            if (state.HighestSeq < 0x8000)
            {
                if (seq - state.HighestSeq > 0x8000 && state.Roc > 0)
                {
                    roc = state.Roc - 1;
                }
            }
            else if (state.HighestSeq - 0x8000 > seq)
            {
                roc = state.Roc + 1;
            }
        }

        return roc;
    }

    /// <summary>
    /// For load generators only (bench/VideoLink.LoadGen): decrypts just the last <paramref name="tailLength"/> bytes
    /// of an SRTP packet's payload, with the ROC state that <see cref="UnprotectRtp"/> built for its SSRC. Nothing is
    /// authenticated and no state moves, so media is never accepted this way: a generator that fully unprotects a
    /// sample of packets and only reads its measurement stamp from the rest loads the machine a fraction as much.
    /// <see cref="SrtpResult.Malformed"/> until a packet of that SSRC has been unprotected.
    /// </summary>
    public SrtpResult DecryptTailUnverified(Span<byte> packet, int tailLength, out int rtpLength)
    {
        rtpLength = 0;
        if (packet.Length < 12 + TagLength)
        {
            return SrtpResult.Malformed;
        }

        var body = packet[..^TagLength];
        var headerLength = RtpHeaderLength(body);
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[8..]);
        if (headerLength < 0 || body.Length - headerLength < tailLength || !_streams.TryGetValue(ssrc, out var state) || !state.Started)
        {
            return SrtpResult.Malformed;
        }

        var seq = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        var roc = EstimateRoc(state, seq);
        var offset = body.Length - headerLength - tailLength;
        Span<byte> iv = stackalloc byte[16];
        if (_rtpAead is not null)
        {
            // GCM's keystream is AES-CTR from counter block nonce || 00000002 (NIST SP 800-38D §7.1): two blocks on.
            iv.Clear();
            BuildRtpNonce(_rtpSalt, ssrc, roc, seq, iv[..GcmNonceLength]);
            _rtpCipher.ApplyAt(iv, offset + 32, body[^tailLength..]);
        }
        else
        {
            BuildIv(_rtpSalt, ssrc, ((ulong)roc << 16) | seq, iv);
            _rtpCipher.ApplyAt(iv, offset, body[^tailLength..]);
        }

        rtpLength = body.Length;
        return SrtpResult.Ok;
    }

    /// <summary>Encrypts a (compound) RTCP packet in place, appends E|index and the tag (RFC 3711 §3.4).</summary>
    public int ProtectRtcp(Span<byte> buffer, int length)
    {
        if (length < 8 || buffer.Length < length + SrtcpIndexLength + TagLength)
        {
            return -1;
        }

        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(buffer[4..]);
        var state = GetRtcpStream(ssrc);
        if (state is null)
        {
            return -1;
        }

        var index = state.NextSendIndex;
        state.NextSendIndex = (index + 1) & 0x7FFF_FFFF;
        if (_rtcpAead is { } aead)
        {
            // RFC 7714 §9: AAD = first 8 bytes || E|index; the packet ends ciphertext || tag || E|index.
            Span<byte> nonce = stackalloc byte[GcmNonceLength];
            Span<byte> aad = stackalloc byte[8 + SrtcpIndexLength];
            BuildRtcpNonce(_rtcpSalt, ssrc, index, nonce);
            buffer[..8].CopyTo(aad);
            BinaryPrimitives.WriteUInt32BigEndian(aad[8..], 0x8000_0000u | index);
            var body = buffer[8..length];
            aead.Encrypt(nonce, body, body, buffer.Slice(length, MaxTagLength), aad);
            aad[8..].CopyTo(buffer[(length + MaxTagLength)..]);
            return length + MaxTagLength + SrtcpIndexLength;
        }

        Span<byte> iv = stackalloc byte[16];
        BuildIv(_rtcpSalt, ssrc, index, iv);
        _rtcpCipher!.Apply(iv, buffer[8..length]);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[length..], 0x8000_0000u | index);
        var authenticatedLength = length + SrtcpIndexLength;
        Span<byte> full = stackalloc byte[20];
        _rtcpAuth!.AppendData(buffer[..authenticatedLength]);
        _rtcpAuth.TryGetHashAndReset(full, out _);
        full[..AuthTagLength].CopyTo(buffer[authenticatedLength..]);
        return authenticatedLength + AuthTagLength;
    }

    /// <summary>Verifies and decrypts an SRTCP packet in place.</summary>
    public SrtpResult UnprotectRtcp(Span<byte> packet, out int rtcpLength)
    {
        rtcpLength = 0;
        if (packet.Length < 8 + SrtcpIndexLength + TagLength)
        {
            return SrtpResult.Malformed;
        }

        if (_rtcpAead is not null)
        {
            return UnprotectRtcpAead(packet, out rtcpLength);
        }

        var authenticated = packet[..^AuthTagLength];
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
        _rtcpStreams.TryGetValue(ssrc, out var state);
        state ??= UnstartedRtcp;

        var eIndex = BinaryPrimitives.ReadUInt32BigEndian(authenticated[^SrtcpIndexLength..]);
        var index = eIndex & 0x7FFF_FFFF;
        if (!state.Window.Check(index))
        {
            return SrtpResult.Replayed;
        }

        Span<byte> full = stackalloc byte[20];
        _rtcpAuth!.AppendData(authenticated);
        _rtcpAuth.TryGetHashAndReset(full, out _);
        if (!CryptographicOperations.FixedTimeEquals(full[..AuthTagLength], packet[^AuthTagLength..]))
        {
            return SrtpResult.AuthenticationFailed;
        }

        if (!AcceptRtcpIndex(ssrc, state, index))
        {
            return SrtpResult.Malformed;
        }

        var body = authenticated[..^SrtcpIndexLength];
        if ((eIndex & 0x8000_0000u) != 0)
        {
            Span<byte> iv = stackalloc byte[16];
            BuildIv(_rtcpSalt, ssrc, index, iv);
            _rtcpCipher!.Apply(iv, body[8..]);
        }

        rtcpLength = body.Length;
        return SrtpResult.Ok;
    }

    /// <summary>RFC 7714 §9: header(8) || ciphertext || tag(16) || E|index(4); E = 0 means authenticated only.</summary>
    private SrtpResult UnprotectRtcpAead(Span<byte> packet, out int rtcpLength)
    {
        rtcpLength = 0;
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
        _rtcpStreams.TryGetValue(ssrc, out var state);
        state ??= UnstartedRtcp;
        var eIndex = BinaryPrimitives.ReadUInt32BigEndian(packet[^SrtcpIndexLength..]);
        var index = eIndex & 0x7FFF_FFFF;
        if (!state.Window.Check(index))
        {
            return SrtpResult.Replayed;
        }

        var tag = packet.Slice(packet.Length - SrtcpIndexLength - MaxTagLength, MaxTagLength);
        var body = packet[..(packet.Length - SrtcpIndexLength - MaxTagLength)];
        Span<byte> nonce = stackalloc byte[GcmNonceLength];
        BuildRtcpNonce(_rtcpSalt, ssrc, index, nonce);
        try
        {
            if ((eIndex & 0x8000_0000u) != 0)
            {
                Span<byte> aad = stackalloc byte[8 + SrtcpIndexLength];
                body[..8].CopyTo(aad);
                packet[^SrtcpIndexLength..].CopyTo(aad[8..]);
                var cipher = body[8..];
                _rtcpAead!.Decrypt(nonce, cipher, tag, cipher, aad);
            }
            else
            {
                // Unencrypted SRTCP: the whole packet and E|index are associated data, the ciphertext is empty.
                var aad = JoinAad(body, packet[^SrtcpIndexLength..]);
                _rtcpAead!.Decrypt(nonce, ReadOnlySpan<byte>.Empty, tag, Span<byte>.Empty, aad);
            }
        }
        catch (AuthenticationTagMismatchException)
        {
            return SrtpResult.AuthenticationFailed;
        }

        if (!AcceptRtcpIndex(ssrc, state, index))
        {
            return SrtpResult.Malformed;
        }

        rtcpLength = body.Length;
        return SrtpResult.Ok;
    }

    /// <summary>
    /// After an SRTCP packet authenticated: its stream is created now (never for garbage, like the RTP streams) and
    /// its index enters the replay window. False when the context already holds as many streams as it may.
    /// </summary>
    private bool AcceptRtcpIndex(uint ssrc, RtcpState state, uint index)
    {
        if (ReferenceEquals(state, UnstartedRtcp))
        {
            var created = GetRtcpStream(ssrc);
            if (created is null)
            {
                return false;
            }

            state = created;
        }

        state.Window.Accept(index);
        return true;
    }

    private static byte[] JoinAad(ReadOnlySpan<byte> body, ReadOnlySpan<byte> eIndex)
    {
        // Rare (nobody we know sends unencrypted SRTCP): a small allocation is fine here.
        var aad = new byte[body.Length + eIndex.Length];
        body.CopyTo(aad);
        eIndex.CopyTo(aad.AsSpan(body.Length));
        return aad;
    }

    public void Dispose()
    {
        _rtpCipher.Dispose();
        _rtcpCipher?.Dispose();
        _rtpAuth?.Dispose();
        _rtcpAuth?.Dispose();
        _rtpAead?.Dispose();
        _rtcpAead?.Dispose();
    }

    /// <summary>Fixed header + CSRCs + extension (RFC 3550 §5.1, §5.3.1); -1 if it does not fit.</summary>
    internal static int RtpHeaderLength(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < 12 || (packet[0] >> 6) != 2)
        {
            return -1;
        }

        var length = 12 + (4 * (packet[0] & 0x0F));
        if ((packet[0] & 0x10) != 0)
        {
            if (packet.Length < length + 4)
            {
                return -1;
            }

            length += 4 + (4 * BinaryPrimitives.ReadUInt16BigEndian(packet[(length + 2)..]));
        }

        return length <= packet.Length ? length : -1;
    }

    /// <summary>IV = (salt * 2^16) XOR (SSRC * 2^64) XOR (index * 2^16) (RFC 3711 §4.1.1).</summary>
    private static void BuildIv(ReadOnlySpan<byte> salt, uint ssrc, ulong index, Span<byte> iv)
    {
        salt.CopyTo(iv);
        iv[14] = 0;
        iv[15] = 0;
        iv[4] ^= (byte)(ssrc >> 24);
        iv[5] ^= (byte)(ssrc >> 16);
        iv[6] ^= (byte)(ssrc >> 8);
        iv[7] ^= (byte)ssrc;
        for (var i = 0; i < 6; i++)
        {
            iv[13 - i] ^= (byte)(index >> (8 * i));
        }
    }

    /// <summary>RFC 7714 §8.1: nonce = (00 00 || SSRC || ROC || SEQ) XOR the 12-byte session salt.</summary>
    internal static void BuildRtpNonce(ReadOnlySpan<byte> salt, uint ssrc, uint roc, ushort seq, Span<byte> nonce)
    {
        nonce[0] = 0;
        nonce[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(nonce[2..], ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(nonce[6..], roc);
        BinaryPrimitives.WriteUInt16BigEndian(nonce[10..], seq);
        for (var i = 0; i < GcmNonceLength; i++)
        {
            nonce[i] ^= salt[i];
        }
    }

    /// <summary>RFC 7714 §9.1: nonce = (00 00 || SSRC || 00 00 || 0|SRTCP index) XOR the 12-byte session salt.</summary>
    internal static void BuildRtcpNonce(ReadOnlySpan<byte> salt, uint ssrc, uint index, Span<byte> nonce)
    {
        nonce.Clear();
        BinaryPrimitives.WriteUInt32BigEndian(nonce[2..], ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(nonce[8..], index & 0x7FFF_FFFF);
        for (var i = 0; i < GcmNonceLength; i++)
        {
            nonce[i] ^= salt[i];
        }
    }

    /// <summary>Tag = first 80 bits of HMAC-SHA1(auth key, packet || ROC) (RFC 3711 §4.2).</summary>
    private static void Authenticate(IncrementalHash hmac, ReadOnlySpan<byte> packet, uint roc, Span<byte> tag)
    {
        Span<byte> rocBytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(rocBytes, roc);
        hmac.AppendData(packet);
        hmac.AppendData(rocBytes);
        Span<byte> full = stackalloc byte[20];
        hmac.TryGetHashAndReset(full, out _);
        full[..AuthTagLength].CopyTo(tag);
    }

    private static readonly SsrcState Unstarted = new();
    private static readonly RtcpState UnstartedRtcp = new();

    private SsrcState? GetStream(uint ssrc)
    {
        if (_streams.TryGetValue(ssrc, out var state))
        {
            return state;
        }

        // A bound on streams per context: random SSRCs from garbage must not grow memory without limit.
        if (_streams.Count >= MaxSsrcs)
        {
            return null;
        }

        state = new SsrcState();
        _streams.Add(ssrc, state);
        return state;
    }

    private RtcpState? GetRtcpStream(uint ssrc)
    {
        if (_rtcpStreams.TryGetValue(ssrc, out var state))
        {
            return state;
        }

        if (_rtcpStreams.Count >= MaxSsrcs)
        {
            return null;
        }

        state = new RtcpState();
        _rtcpStreams.Add(ssrc, state);
        return state;
    }

    private sealed class SsrcState
    {
        public uint Roc;
        public ushort HighestSeq;
        public bool Started;
        public ReplayWindow Window;
    }

    private sealed class RtcpState
    {
        public uint NextSendIndex;
        public ReplayWindow Window;
    }
}
