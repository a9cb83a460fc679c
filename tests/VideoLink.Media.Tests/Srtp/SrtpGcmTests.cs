using System.Security.Cryptography;
using VideoLink.Media.Rtp;
using VideoLink.Media.Srtp;

namespace VideoLink.Media.Tests.Srtp;

/// <summary>AEAD_AES_128_GCM (RFC 7714): the published vectors, key derivation as libsrtp does it, and the SRTP rules.</summary>
public sealed class SrtpGcmTests
{
    // RFC 7714 §16.1: the RTP packet of the AEAD_AES_128_GCM example (SSRC 0x5501a0b2, SEQ 0xf17b, ROC 0).
    private static readonly byte[] RfcRtp = Convert.FromHexString(
        "8040f17b8041f8d35501a0b247616c6c696120657374206f6d6e69732064697669736120696e207061727465732074726573");

    private static readonly byte[] RfcSessionKey = Convert.FromHexString("000102030405060708090a0b0c0d0e0f");
    private static readonly byte[] RfcSessionSalt = Convert.FromHexString("517569642070726f2071756f");

    [Fact]
    public void RtpNonceAndSealedPacket_MatchRfc7714Section16()
    {
        Span<byte> nonce = stackalloc byte[12];
        SrtpContext.BuildRtpNonce(RfcSessionSalt, 0x5501a0b2, 0, 0xf17b, nonce);
        Assert.Equal("51753C6580C2726F20718414", Convert.ToHexString(nonce));

        using var gcm = new AesGcm(RfcSessionKey, 16);
        var payload = RfcRtp[12..].ToArray();
        var tag = new byte[16];
        gcm.Encrypt(nonce, payload, payload, tag, RfcRtp[..12]);
        Assert.Equal("F24DE3A3FB34DE6CACBA861C9D7E4BCABE633BD50D294E6F42A5F47A51C7D19B36DE3ADF8833", Convert.ToHexString(payload));
        Assert.Equal("899D7F27BEB16A9152CF765EE4390CCE", Convert.ToHexString(tag));
    }

    [Fact]
    public void SrtcpNonceAndAssociatedData_OpenTheRfc7714Section17Packet()
    {
        // RFC 7714 §17.1: header(8) || ciphertext || tag(16) || E|index(4), AAD = header || E|index.
        var srtcp = Convert.FromHexString(
            "81c8000d4d61727363e94885dcdab67ca727d7662f6b7e997ff5c0f76c06f32dc676a5f1730d6fda4ce09b4686303ded0bb9275bc84aa45896cf4d2fc5abf87245d9eade800005d4");
        Span<byte> nonce = stackalloc byte[12];
        SrtpContext.BuildRtcpNonce(RfcSessionSalt, 0x4d617273, 0x05d4, nonce);
        var aad = srtcp[..8].Concat(srtcp[^4..]).ToArray();
        var cipher = srtcp[8..^20];
        var plain = new byte[cipher.Length];
        using var gcm = new AesGcm(RfcSessionKey, 16);
        gcm.Decrypt(nonce, cipher, srtcp[^20..^4], plain, aad);
        Assert.Equal("4E5450314E54503252545020" + "0000042A0000E9304C756E61" + string.Concat(Enumerable.Repeat("DEADBEEF", 5)), Convert.ToHexString(plain));
    }

    [Fact]
    public void Protect_WithAZeroMasterKey_GivesWhatLibsrtpGives()
    {
        // The session keys come from the RFC 3711 KDF over a 12-byte master salt (here zero) — as libsrtp, Chromium's SRTP.
        var master = new SrtpMasterKey(new byte[16], new byte[12], SrtpProfile.AeadAes128Gcm);
        using var sender = new SrtpContext(master);
        using var receiver = new SrtpContext(master);
        var buffer = new byte[RfcRtp.Length + 16];
        RfcRtp.CopyTo(buffer, 0);

        var length = sender.ProtectRtp(buffer, RfcRtp.Length);

        Assert.Equal(RfcRtp.Length + 16, length);
        Assert.Equal(
            "8040F17B8041F8D35501A0B2117439" + "45E80B2E35A6E26008C248951F36EAFC8D89A929FC54C9BAB4F895957C4123E94A658CE832D76D50975FD2C9935D13EBB3EC4F",
            Convert.ToHexString(buffer, 0, length));
        Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtp(buffer.AsSpan(0, length), out var rtpLength));
        Assert.Equal(RfcRtp, buffer[..rtpLength]);
    }

    [Fact]
    public void Rtp_RoundTripsAcrossTheSequenceWrap_AndATamperedOrReplayedPacketIsRefused()
    {
        var master = NewMaster();
        using var sender = new SrtpContext(master);
        using var receiver = new SrtpContext(master);
        for (var i = 0; i < 12; i++)
        {
            var seq = (ushort)(65530 + i);
            var (packet, plain) = Protect(sender, seq);
            var copy = packet.ToArray();
            Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtp(packet, out var length));
            Assert.Equal(plain, packet[..length]);
            Assert.Equal(SrtpResult.Replayed, receiver.UnprotectRtp(copy, out _));
        }

        Assert.Equal(1u, receiver.GetRolloverCounter(4242));
        var (tampered, _) = Protect(sender, 6);
        tampered[20] ^= 1;
        Assert.Equal(SrtpResult.AuthenticationFailed, receiver.UnprotectRtp(tampered, out _));
        var (headerTampered, _) = Protect(sender, 7);
        headerTampered[5] ^= 1; // the timestamp is associated data: authenticated though not encrypted
        Assert.Equal(SrtpResult.AuthenticationFailed, receiver.UnprotectRtp(headerTampered, out _));
    }

    [Fact]
    public void Rtcp_RoundTripsWithTagBeforeTheIndex_AndATamperedOrReplayedPacketIsRefused()
    {
        var master = NewMaster();
        using var sender = new SrtpContext(master);
        using var receiver = new SrtpContext(master);
        var rtcp = Convert.FromHexString("81c80006000010920000000000000000000000000000000000000000");
        var buffer = new byte[rtcp.Length + 16 + 4];
        rtcp.CopyTo(buffer, 0);

        var length = sender.ProtectRtcp(buffer, rtcp.Length);

        Assert.Equal(rtcp.Length + 16 + 4, length);
        Assert.Equal(rtcp[..8], buffer[..8]);
        Assert.Equal("80000000", Convert.ToHexString(buffer, length - 4, 4)); // E set, index 0, after the tag
        var copy = buffer.ToArray();
        var tampered = buffer.ToArray();
        tampered[4] ^= 1;
        Assert.Equal(SrtpResult.AuthenticationFailed, receiver.UnprotectRtcp(tampered, out _));
        Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtcp(buffer, out var rtcpLength));
        Assert.Equal(rtcp, buffer[..rtcpLength]);
        Assert.Equal(SrtpResult.Replayed, receiver.UnprotectRtcp(copy, out _));
    }

    [Fact]
    public void ProfilesOfEitherKind_DoNotOpenEachOthersPackets()
    {
        var key = RandomNumberGenerator.GetBytes(16);
        var salt = RandomNumberGenerator.GetBytes(14);
        using var gcmSender = new SrtpContext(new SrtpMasterKey(key, salt[..12], SrtpProfile.AeadAes128Gcm));
        using var cmReceiver = new SrtpContext(new SrtpMasterKey(key, salt));
        var (packet, _) = Protect(gcmSender, 1);
        Assert.NotEqual(SrtpResult.Ok, cmReceiver.UnprotectRtp(packet, out _));
    }

    [Theory]
    [InlineData("SRTP_AEAD_AES_128_GCM,SRTP_AES128_CM_HMAC_SHA1_80", new[] { SrtpProfile.AeadAes128Gcm, SrtpProfile.AesCm128HmacSha1_80 })]
    [InlineData("AEAD_AES_128_GCM,AES_CM_128_HMAC_SHA1_80", new[] { SrtpProfile.AeadAes128Gcm, SrtpProfile.AesCm128HmacSha1_80 })]
    [InlineData(" aes_cm_128_hmac_sha1_80 ", new[] { SrtpProfile.AesCm128HmacSha1_80 })]
    internal void ProfileLists_ParseInOrder(string text, SrtpProfile[] expected) =>
        Assert.Equal(expected, SrtpProfiles.ParseList(text));

    [Theory]
    [InlineData("")]
    [InlineData("AES_256_CM_HMAC_SHA1_80")]
    [InlineData("AEAD_AES_128_GCM,SRTP_AEAD_AES_128_GCM")]
    public void ProfileLists_WithUnknownOrRepeatedNames_AreRefused(string text) => Assert.Null(SrtpProfiles.ParseList(text));

    private static SrtpMasterKey NewMaster() =>
        new(RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(12), SrtpProfile.AeadAes128Gcm);

    private static (byte[] Packet, byte[] Plain) Protect(SrtpContext sender, ushort seq)
    {
        var buffer = new byte[1300];
        var n = RtpWriter.WriteHeader(buffer, false, 96, seq, seq * 3000u, 4242);
        RandomNumberGenerator.Fill(buffer.AsSpan(n, 1000));
        var plain = buffer[..(n + 1000)];
        var length = sender.ProtectRtp(buffer, n + 1000);
        return (buffer[..length], plain);
    }
}
