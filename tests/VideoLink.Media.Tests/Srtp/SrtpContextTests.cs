using VideoLink.Media.Rtp;
using VideoLink.Media.Srtp;

namespace VideoLink.Media.Tests.Srtp;

public sealed class SrtpContextTests
{
    private static SrtpMasterKey NewMaster() => new(
        Convert.FromHexString("E1F97A0D3E018BE0D64FA32C06DE4139"),
        Convert.FromHexString("0EC675AD498AFEEBB6960B3AABE6"));

    private static int BuildRtp(Span<byte> buffer, ushort seq, uint ssrc = 0xCAFEBABE, int payloadLength = 160)
    {
        var length = RtpWriter.WriteHeader(buffer, false, 0, seq, seq * 160u, ssrc);
        for (var i = 0; i < payloadLength; i++)
        {
            buffer[length + i] = (byte)(i + seq);
        }

        return length + payloadLength;
    }

    [Fact]
    public void ProtectThenUnprotect_RoundTripsAndHidesPayload()
    {
        using var sender = new SrtpContext(NewMaster());
        using var receiver = new SrtpContext(NewMaster());
        var buffer = new byte[2048];
        var length = BuildRtp(buffer, 1);
        var plain = buffer[..length];

        var srtpLength = sender.ProtectRtp(buffer, length);

        Assert.Equal(length + 10, srtpLength);
        Assert.NotEqual(plain[12..], buffer[12..length]);
        Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtp(buffer.AsSpan(0, srtpLength), out var rtpLength));
        Assert.Equal(plain, buffer[..rtpLength]);
    }

    [Fact]
    public void Unprotect_AcrossSequenceWrap_AdvancesRolloverCounter()
    {
        using var sender = new SrtpContext(NewMaster());
        using var receiver = new SrtpContext(NewMaster());
        var buffer = new byte[2048];
        ushort seq = 65530;
        for (var i = 0; i < 12; i++, seq++)
        {
            var srtp = sender.ProtectRtp(buffer, BuildRtp(buffer, seq));
            Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtp(buffer.AsSpan(0, srtp), out _));
        }

        Assert.Equal(1u, sender.GetRolloverCounter(0xCAFEBABE));
        Assert.Equal(1u, receiver.GetRolloverCounter(0xCAFEBABE));
    }

    [Fact]
    public void Unprotect_LatePacketFromBeforeWrap_UsesPreviousRolloverCounter()
    {
        using var sender = new SrtpContext(NewMaster());
        using var receiver = new SrtpContext(NewMaster());
        var late = new byte[2048];
        var buffer = new byte[2048];
        var seqs = new ushort[] { 65534, 65535, 0, 1 };
        var lateLength = 0;
        foreach (var seq in seqs)
        {
            var target = seq == 65535 ? late : buffer;
            var srtp = sender.ProtectRtp(target, BuildRtp(target, seq));
            if (seq == 65535)
            {
                lateLength = srtp; // held back: delivered after the wrap
                continue;
            }

            Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtp(buffer.AsSpan(0, srtp), out _));
        }

        Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtp(late.AsSpan(0, lateLength), out _));
        Assert.Equal(1u, receiver.GetRolloverCounter(0xCAFEBABE));
    }

    [Fact]
    public void Protect_RetransmissionFromBeforeWrap_UsesPreviousRolloverCounter()
    {
        using var sender = new SrtpContext(NewMaster());
        using var receiver = new SrtpContext(NewMaster());
        var buffer = new byte[2048];
        foreach (ushort seq in (ushort[])[65534, 0, 1])
        {
            var n = sender.ProtectRtp(buffer, BuildRtp(buffer, seq));
            Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtp(buffer.AsSpan(0, n), out _));
        }

        // 65535 was lost and is re-sent after the wrap (NACK): it belongs to ROC 0.
        var late = sender.ProtectRtp(buffer, BuildRtp(buffer, 65535));
        Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtp(buffer.AsSpan(0, late), out _));
    }

    [Fact]
    public void Unprotect_SamePacketTwice_IsReplay()
    {
        using var sender = new SrtpContext(NewMaster());
        using var receiver = new SrtpContext(NewMaster());
        var buffer = new byte[2048];
        var srtp = sender.ProtectRtp(buffer, BuildRtp(buffer, 7));
        var copy = buffer[..srtp];

        Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtp(buffer.AsSpan(0, srtp), out _));
        Assert.Equal(SrtpResult.Replayed, receiver.UnprotectRtp(copy, out _));
    }

    [Fact]
    public void Unprotect_ForgedPacketFarAhead_DoesNotMoveReplayWindowOrRolloverCounter()
    {
        using var sender = new SrtpContext(NewMaster());
        using var receiver = new SrtpContext(NewMaster());
        var buffer = new byte[2048];
        var srtp = sender.ProtectRtp(buffer, BuildRtp(buffer, 100));
        Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtp(buffer.AsSpan(0, srtp), out _));

        // An attacker's packet with a sequence number 40,000 ahead and a wrong tag.
        var forged = new byte[200];
        var forgedLength = BuildRtp(forged, 40100, payloadLength: 100) + 10;
        Assert.Equal(SrtpResult.AuthenticationFailed, receiver.UnprotectRtp(forged.AsSpan(0, forgedLength), out _));

        // The genuine next packet must still be accepted.
        srtp = sender.ProtectRtp(buffer, BuildRtp(buffer, 101));
        Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtp(buffer.AsSpan(0, srtp), out _));
        Assert.Equal(0u, receiver.GetRolloverCounter(0xCAFEBABE));
    }

    [Fact]
    public void Unprotect_TamperedPayload_FailsAuthentication()
    {
        using var sender = new SrtpContext(NewMaster());
        using var receiver = new SrtpContext(NewMaster());
        var buffer = new byte[2048];
        var srtp = sender.ProtectRtp(buffer, BuildRtp(buffer, 1));
        buffer[20] ^= 1;
        Assert.Equal(SrtpResult.AuthenticationFailed, receiver.UnprotectRtp(buffer.AsSpan(0, srtp), out _));
    }

    [Fact]
    public void Unprotect_TruncatedPackets_AreMalformedOrUnauthenticated_NeverThrow()
    {
        using var receiver = new SrtpContext(NewMaster());
        var buffer = new byte[300];
        var length = BuildRtp(buffer, 1, payloadLength: 100) + 10;
        for (var n = 0; n < length; n++)
        {
            Assert.NotEqual(SrtpResult.Ok, receiver.UnprotectRtp(buffer.AsSpan(0, n), out _));
        }
    }

    [Fact]
    public void ProtectThenUnprotectRtcp_RoundTripsAndRejectsReplay()
    {
        using var sender = new SrtpContext(NewMaster());
        using var receiver = new SrtpContext(NewMaster());
        var buffer = new byte[256];
        var length = RtcpWriter.WritePli(buffer, 0x11111111, 0x22222222);
        var plain = buffer[..length];

        var srtcp = sender.ProtectRtcp(buffer, length);
        Assert.Equal(length + 14, srtcp);
        Assert.True((buffer[length] & 0x80) != 0, "E flag set");
        var copy = buffer[..srtcp];

        Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtcp(buffer.AsSpan(0, srtcp), out var rtcpLength));
        Assert.Equal(plain, buffer[..rtcpLength]);
        Assert.Equal(SrtpResult.Replayed, receiver.UnprotectRtcp(copy, out _));
    }

    [Fact]
    public void ProtectAndUnprotect_InSteadyState_AllocateNothing()
    {
        using var sender = new SrtpContext(NewMaster());
        using var receiver = new SrtpContext(NewMaster());
        var buffer = new byte[2048];
        ushort seq = 1;
        for (var i = 0; i < 100; i++, seq++)
        {
            var srtp = sender.ProtectRtp(buffer, BuildRtp(buffer, seq, payloadLength: 1200));
            receiver.UnprotectRtp(buffer.AsSpan(0, srtp), out _);
        }

        var failures = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++, seq++)
        {
            var srtp = sender.ProtectRtp(buffer, BuildRtp(buffer, seq, payloadLength: 1200));
            failures += receiver.UnprotectRtp(buffer.AsSpan(0, srtp), out _) == SrtpResult.Ok ? 0 : 1;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, failures);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void ReplayWindow_AcceptsReorderedWithinWindow_RejectsDuplicatesAndTooOld()
    {
        var window = default(ReplayWindow);
        window.Accept(100);
        Assert.True(window.Check(99));
        window.Accept(99);
        Assert.False(window.Check(99));
        Assert.False(window.Check(100));
        Assert.True(window.Check(101));
        window.Accept(200);
        Assert.False(window.Check(100)); // 100 behind: outside a 64-packet window
        Assert.True(window.Check(150));
    }
}
