using VideoLink.Hub.Conference;

namespace VideoLink.Hub.Tests.Conference;

public sealed class PollingRotationTests
{
    private static readonly Guid A = Guid.NewGuid();
    private static readonly Guid B = Guid.NewGuid();
    private static readonly Guid C = Guid.NewGuid();

    [Fact]
    public void Rotates_EveryInterval_AndWrapsAround()
    {
        var polling = new PollingRotation([A, B, C], TimeSpan.FromSeconds(5), 0);
        var shown = new List<Guid?> { polling.Current };

        for (long t = 1000; t <= 16_000; t += 1000)
        {
            if (polling.Advance(t))
            {
                shown.Add(polling.Current);
            }
        }

        Assert.Equal([A, B, C, A], shown);
    }

    [Fact]
    public void SiteLeaving_IsSkipped_AndTheNextIsShownAtOnce()
    {
        var polling = new PollingRotation([A, B, C], TimeSpan.FromSeconds(5), 0);
        polling.Advance(5000);
        Assert.Equal(B, polling.Current);

        Assert.True(polling.Remove(B, 6000));
        Assert.Equal(C, polling.Current);
        Assert.False(polling.Advance(10_000)); // C gets its full interval from when it was shown
        Assert.True(polling.Advance(11_000));
        Assert.Equal(A, polling.Current);
    }

    [Fact]
    public void LastSiteLeaving_EndsTheRotation()
    {
        var polling = new PollingRotation([A], TimeSpan.FromSeconds(2), 0);

        polling.Remove(A, 1000);

        Assert.True(polling.IsOver);
        Assert.Null(polling.Current);
    }

    [Fact]
    public void RemovingAnEarlierSite_KeepsTheCurrentOne()
    {
        var polling = new PollingRotation([A, B, C], TimeSpan.FromSeconds(5), 0);
        polling.Advance(5000);
        polling.Advance(10_000);
        Assert.Equal(C, polling.Current);

        Assert.False(polling.Remove(A, 11_000));

        Assert.Equal(C, polling.Current);
        Assert.True(polling.Advance(15_000));
        Assert.Equal(B, polling.Current);
    }

    [Fact]
    public void IntervalBelowOneSecond_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new PollingRotation([A], TimeSpan.FromMilliseconds(500), 0));
}
