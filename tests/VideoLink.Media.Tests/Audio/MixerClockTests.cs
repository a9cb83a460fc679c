using System.Diagnostics;
using VideoLink.Media.Audio;

namespace VideoLink.Media.Tests.Audio;

public sealed class MixerClockTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void ManualAdvance_RunsOneTickPer20Ms_CarryingRemainders()
    {
        var ticks = 0;
        var clock = new MixerClock(() => ticks++);
        clock.Advance(TimeSpan.FromMilliseconds(30));
        Assert.Equal(1, ticks);
        clock.Advance(TimeSpan.FromMilliseconds(10)); // 40 ms in total
        Assert.Equal(2, ticks);
        clock.Advance(TimeSpan.FromMilliseconds(19));
        Assert.Equal(2, ticks);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(3, ticks);
    }

    [Fact]
    public void ManualAdvance_AfterAStall_CatchesUpAtMostFiveTicks_AndCountsTheRest()
    {
        var ticks = 0;
        var clock = new MixerClock(() => ticks++);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(MixerClock.MaxCatchUpTicks, ticks);
        Assert.Equal(50 - MixerClock.MaxCatchUpTicks, clock.TicksSkipped);
        clock.Advance(TimeSpan.FromMilliseconds(20));
        Assert.Equal(MixerClock.MaxCatchUpTicks + 1, ticks);
    }

    [Fact]
    public void ThrowingTick_IsCounted_AndTheClockGoesOn()
    {
        var calls = 0;
        var clock = new MixerClock(() =>
        {
            calls++;
            throw new InvalidOperationException("bad tick");
        });
        clock.Advance(TimeSpan.FromMilliseconds(60));
        Assert.Equal(3, calls);
        Assert.Equal(3, clock.TickErrors);
    }

    [Fact]
    public void ManualMode_DrivesAMixer()
    {
        var mixer = new ConferenceMixer();
        var leg = Guid.NewGuid();
        mixer.AddInput(leg, G711Law.A);
        var frames = 0;
        mixer.FrameMixed += (_, payload, _) => frames += payload.Length == 160 ? 1 : 0;
        var clock = new MixerClock(mixer);
        clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(5, frames);
        Assert.Equal(5, mixer.Counters.Ticks);
    }

    [Fact]
    public async Task RunAsync_TicksWithElapsedTime_AndEndsQuietlyOnCancellation()
    {
        long ticks = 0;
        var clock = new MixerClock(() => Interlocked.Increment(ref ticks));
        using var cancellation = new CancellationTokenSource();
        var watch = Stopwatch.StartNew();
        var run = clock.RunAsync(cancellation.Token);

        var deadline = DateTime.UtcNow + Timeout;
        while (Interlocked.Read(ref ticks) < 15 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        await cancellation.CancelAsync();
        await run.WaitAsync(Timeout); // cancellation is not an error
        var elapsed = watch.Elapsed;
        var ran = Interlocked.Read(ref ticks);
        Assert.True(ran >= 15, $"only {ran} ticks in {elapsed}");

        // ticks follow elapsed time, so they are never ahead of it (the catch-up is covered by the manual tests)
        Assert.True(ran <= (elapsed.Ticks / MixerClock.Period.Ticks) + 1, $"{ran} ticks in {elapsed}");
        Assert.Equal(ran, clock.TicksRun);
    }
}
