using VideoLink.Hub.Conference;

namespace VideoLink.Hub.Tests.Conference;

public sealed class ActiveSpeakerTrackerTests
{
    private static readonly Guid A = Guid.NewGuid();
    private static readonly Guid B = Guid.NewGuid();

    private static Dictionary<Guid, double> Levels(double a, double b) => new() { [A] = a, [B] = b };

    [Fact]
    public void NewSpeaker_TakesOverOnlyAfterLeadingForTheHoldTime()
    {
        var tracker = new ActiveSpeakerTracker { HoldMilliseconds = 800, MinDwellMilliseconds = 2000 };

        Assert.False(tracker.Update(Levels(0.2, 0.0), 0));
        Assert.False(tracker.Update(Levels(0.2, 0.0), 600));
        Assert.True(tracker.Update(Levels(0.2, 0.0), 800));
        Assert.Equal(A, tracker.Current);
    }

    [Fact]
    public void ShortBurst_FromAnotherLeg_DoesNotSwitch()
    {
        var tracker = new ActiveSpeakerTracker { HoldMilliseconds = 800, MinDwellMilliseconds = 0 };
        tracker.Update(Levels(0.2, 0.0), 0);
        tracker.Update(Levels(0.2, 0.0), 1000);

        // B coughs for 400 ms, then A talks on.
        Assert.False(tracker.Update(Levels(0.1, 0.5), 1200));
        Assert.False(tracker.Update(Levels(0.1, 0.5), 1600));
        Assert.False(tracker.Update(Levels(0.2, 0.0), 1800));
        Assert.False(tracker.Update(Levels(0.1, 0.5), 2000)); // the hold restarts: the burst was interrupted
        Assert.Equal(A, tracker.Current);
    }

    [Fact]
    public void Challenger_NeedsTheMargin_OverTheCurrentSpeaker()
    {
        var tracker = new ActiveSpeakerTracker { HoldMilliseconds = 200, MinDwellMilliseconds = 0, Margin = 1.5 };
        tracker.Update(Levels(0.2, 0.0), 0);
        tracker.Update(Levels(0.2, 0.0), 200);
        Assert.Equal(A, tracker.Current);

        for (var t = 400; t < 3000; t += 200)
        {
            Assert.False(tracker.Update(Levels(0.2, 0.25), t)); // louder, but not 1.5 × louder
        }

        Assert.True(tracker.Update(Levels(0.1, 0.25), 3200) || tracker.Update(Levels(0.1, 0.25), 3400));
        Assert.Equal(B, tracker.Current);
    }

    [Fact]
    public void MinimumDwell_KeepsThePictureOnTheNewSpeaker()
    {
        var tracker = new ActiveSpeakerTracker { HoldMilliseconds = 200, MinDwellMilliseconds = 2000 };
        tracker.Update(Levels(0.3, 0), 0);
        Assert.True(tracker.Update(Levels(0.3, 0), 200));

        Assert.False(tracker.Update(Levels(0, 0.3), 400));
        Assert.False(tracker.Update(Levels(0, 0.3), 1000));
        Assert.False(tracker.Update(Levels(0, 0.3), 2000));
        Assert.True(tracker.Update(Levels(0, 0.3), 2200));
        Assert.Equal(B, tracker.Current);
    }

    [Fact]
    public void Silence_BelowThreshold_NeverMakesASpeaker()
    {
        var tracker = new ActiveSpeakerTracker { HoldMilliseconds = 0 };

        Assert.False(tracker.Update(Levels(0.001, 0.0005), 0));
        Assert.False(tracker.Update(Levels(0.001, 0.0005), 5000));
        Assert.Null(tracker.Current);
    }

    [Fact]
    public void SpeakerLeaving_IsForgotten()
    {
        var tracker = new ActiveSpeakerTracker { HoldMilliseconds = 0, MinDwellMilliseconds = 0 };
        tracker.Update(Levels(0.3, 0), 0);

        tracker.Update(new Dictionary<Guid, double> { [B] = 0 }, 100);

        Assert.Null(tracker.Current);
    }
}
