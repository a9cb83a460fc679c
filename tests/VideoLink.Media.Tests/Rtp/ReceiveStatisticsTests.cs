using VideoLink.Media.Rtp;

namespace VideoLink.Media.Tests.Rtp;

public sealed class ReceiveStatisticsTests
{
    [Fact]
    public void OneLostPacketInTen_ReportsCumulativeAndFractionLost()
    {
        var stats = new ReceiveStatistics(0x1234, 8000);
        for (ushort seq = 1; seq <= 10; seq++)
        {
            if (seq != 5)
            {
                stats.OnPacket(seq, seq * 160u, seq * 20L); // perfectly paced: 20 ms per 160 samples
            }
        }

        var block = stats.TakeReportBlock(1000);

        Assert.Equal(0x1234u, block.Ssrc);
        Assert.Equal(1, block.CumulativeLost);
        Assert.Equal(25, block.FractionLost); // 1/10 × 256
        Assert.Equal(10u, block.HighestSequence);
        Assert.Equal(0u, block.Jitter);
    }

    [Fact]
    public void OnPacket_ReportsHowManyWereSkipped_IgnoringReorderedOnes()
    {
        var stats = new ReceiveStatistics(1, 90000);
        Assert.Equal(0, stats.OnPacket(100, 0, 0));
        Assert.Equal(0, stats.OnPacket(101, 0, 0));
        Assert.Equal(3, stats.OnPacket(105, 0, 0));
        Assert.Equal(0, stats.OnPacket(103, 0, 0)); // late arrival, not a new gap
        Assert.Equal(0, stats.OnPacket(1, 0, 0)); // far jump back is not a gap either
    }

    [Fact]
    public void SecondInterval_FractionCountsOnlyThatInterval()
    {
        var stats = new ReceiveStatistics(1, 8000);
        stats.OnPacket(1, 0, 0);
        stats.OnPacket(3, 320, 40);
        stats.TakeReportBlock(100);
        stats.OnPacket(4, 480, 60);
        stats.OnPacket(5, 640, 80);

        var block = stats.TakeReportBlock(200);

        Assert.Equal(0, block.FractionLost);
        Assert.Equal(1, block.CumulativeLost);
    }

    [Fact]
    public void SequenceWrap_ExtendsHighestSequenceWithCycles()
    {
        var stats = new ReceiveStatistics(1, 90000);
        stats.OnPacket(65534, 0, 0);
        stats.OnPacket(65535, 3000, 33);
        stats.OnPacket(0, 6000, 66);
        stats.OnPacket(1, 9000, 100);

        var block = stats.TakeReportBlock(200);

        Assert.Equal(65536u + 1, block.HighestSequence);
        Assert.Equal(0, block.CumulativeLost);
    }

    [Fact]
    public void UnevenArrival_GrowsJitter_AndSenderReportSetsLsrDlsr()
    {
        var stats = new ReceiveStatistics(1, 8000);
        stats.OnPacket(1, 0, 0);
        stats.OnPacket(2, 160, 60); // 40 ms late = 320 timestamp units
        stats.OnSenderReport(0x0000_1234_5678_0000, 1000);

        var block = stats.TakeReportBlock(1500);

        Assert.Equal(20u, block.Jitter); // 320 / 16
        Assert.Equal(0x1234_5678u, block.LastSr);
        Assert.Equal(32768u, block.DelaySinceLastSr); // 0.5 s in 1/65536 s
    }
}
