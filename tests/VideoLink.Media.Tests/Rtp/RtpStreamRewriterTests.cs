using VideoLink.Media.Rtp;

namespace VideoLink.Media.Tests.Rtp;

public sealed class RtpStreamRewriterTests
{
    private static byte[] Packet(uint ssrc, ushort seq, uint ts, byte pt = 108)
    {
        var buffer = new byte[64];
        var n = RtpWriter.WriteHeaderWithExtensions(buffer, false, pt, seq, ts, ssrc, 4, "1"u8, 0, 0);
        "payload"u8.CopyTo(buffer.AsSpan(n));
        return buffer[..(n + 7)];
    }

    private static RtpHeader Rewrite(RtpStreamRewriter rewriter, byte[] input, out byte[] output)
    {
        output = new byte[64];
        var n = rewriter.Rewrite(input, output);
        Assert.True(n > 0);
        output = output[..n];
        Assert.True(RtpHeader.TryParse(output, out var header));
        return header;
    }

    [Fact]
    public void Rewrite_SetsSsrcAndPayloadType_DropsSourceExtensions_KeepsPayload()
    {
        var rewriter = new RtpStreamRewriter(0xAAAA, 102, 3000);
        var header = Rewrite(rewriter, Packet(0x1111, 500, 9000), out var output);

        Assert.Equal(0xAAAAu, header.Ssrc);
        Assert.Equal(102, header.PayloadType);
        Assert.Equal(500, header.SequenceNumber);
        Assert.Equal(9000u, header.Timestamp);
        Assert.Equal(0, header.ExtensionLength);
        Assert.Equal("payload"u8.ToArray(), header.Payload(output).ToArray());
    }

    [Fact]
    public void Rewrite_OnSourceSwitch_ContinuesSequenceAndTimestamp()
    {
        var rewriter = new RtpStreamRewriter(0xAAAA, 108, 3000);
        Rewrite(rewriter, Packet(0x1111, 65535, 1000), out _);
        Assert.True(rewriter.IsSwitchPending(0x2222));

        var switched = Rewrite(rewriter, Packet(0x2222, 17, 555_555), out _);
        var next = Rewrite(rewriter, Packet(0x2222, 18, 558_555), out _);

        Assert.Equal(0, switched.SequenceNumber); // 65535 + 1 wraps
        Assert.Equal(4000u, switched.Timestamp);
        Assert.Equal(1, next.SequenceNumber);
        Assert.Equal(7000u, next.Timestamp);
        Assert.True(rewriter.TryMapToSource(0xAAAA, out var source));
        Assert.Equal(0x2222u, source);
        Assert.Equal(18, rewriter.ToSourceSequence(1));
    }

    [Fact]
    public void Rewrite_ReorderedOlderPacket_DoesNotMoveSwitchPoint()
    {
        var rewriter = new RtpStreamRewriter(0xAAAA, 108, 3000);
        Rewrite(rewriter, Packet(0x1111, 10, 1000), out _);
        Rewrite(rewriter, Packet(0x1111, 12, 7000), out _);
        Rewrite(rewriter, Packet(0x1111, 11, 4000), out _); // late
        var switched = Rewrite(rewriter, Packet(0x2222, 900, 1), out _);
        Assert.Equal(13, switched.SequenceNumber);
        Assert.Equal(10000u, switched.Timestamp);
    }

    [Fact]
    public void Rewrite_Garbage_ReturnsMinusOne()
    {
        var rewriter = new RtpStreamRewriter(1, 0, 160);
        Assert.Equal(-1, rewriter.Rewrite([0x80, 0x00, 0x01], new byte[64]));
    }
}
