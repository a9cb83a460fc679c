using System.Security.Cryptography;
using VideoLink.Media.Rtp;
using VideoLink.Media.Srtp;

namespace VideoLink.Media.Tests.Srtp;

/// <summary>
/// The load generator's shortcut: reading only the end of a payload gives exactly the bytes a full unprotect gives,
/// and it never works for a stream that has not been authenticated first.
/// </summary>
public sealed class SrtpTailDecryptTests
{
    [Theory]
    [InlineData(0, 16)]
    [InlineData(5, 16)]
    [InlineData(31, 40)]
    [InlineData(1000, 16)]
    public void ApplyAt_MatchesTheSameBytesOfAFullApply(int offset, int length)
    {
        var key = RandomNumberGenerator.GetBytes(16);
        var iv = new byte[16];
        RandomNumberGenerator.Fill(iv.AsSpan(0, 14));
        using var cipher = new AesCounterMode(key);
        var whole = RandomNumberGenerator.GetBytes(offset + length);
        var part = whole[offset..].ToArray();
        cipher.Apply(iv, whole);
        cipher.ApplyAt(iv, offset, part);
        Assert.Equal(whole[offset..], part);
    }

    [Theory]
    [InlineData(SrtpProfile.AesCm128HmacSha1_80)]
    [InlineData(SrtpProfile.AeadAes128Gcm)]
    internal void DecryptTailUnverified_ReadsTheSameStampAsAFullUnprotect_OnlyAfterTheStreamWasAuthenticated(SrtpProfile profile)
    {
        var master = new SrtpMasterKey(RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(profile.MasterSaltLength()), profile);
        using var sender = new SrtpContext(master);
        using var full = new SrtpContext(master);
        using var tail = new SrtpContext(master);

        byte[] Packet(ushort seq)
        {
            var buffer = new byte[1300];
            var n = RtpWriter.WriteHeader(buffer, false, 96, seq, seq * 3000u, 777);
            RandomNumberGenerator.Fill(buffer.AsSpan(n, 1100));
            return buffer[..sender.ProtectRtp(buffer, n + 1100)];
        }

        var first = Packet(65530);
        Assert.Equal(SrtpResult.Malformed, tail.DecryptTailUnverified(first.ToArray(), 16, out _));
        Assert.Equal(SrtpResult.Ok, tail.UnprotectRtp(first, out _));

        // Across the sequence wrap too (the ROC estimate is the same one UnprotectRtp uses).
        Assert.Equal(SrtpResult.Ok, full.UnprotectRtp(Packet(65530), out _));
        for (var i = 1; i < 20; i++)
        {
            var srtp = Packet((ushort)(65530 + i));
            var copy = srtp.ToArray();
            Assert.Equal(SrtpResult.Ok, full.UnprotectRtp(srtp, out var length));
            Assert.Equal(SrtpResult.Ok, tail.DecryptTailUnverified(copy, 16, out var tailLength));
            Assert.Equal(length, tailLength);
            Assert.Equal(srtp.AsSpan(length - 16, 16).ToArray(), copy.AsSpan(length - 16, 16).ToArray());
        }
    }
}
