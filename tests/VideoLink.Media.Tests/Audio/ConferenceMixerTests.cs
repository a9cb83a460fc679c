using VideoLink.Media.Audio;

namespace VideoLink.Media.Tests.Audio;

public sealed class ConferenceMixerTests
{
    private const int Frame = MixerHarness.Frame;
    private const int Window = 1600; // 200 ms: every test tone below has a whole number of cycles in it
    private static readonly double[] Tones = [400, 700, 1100, 1500];

    [Fact]
    public void FourLegs_EachHearsTheOthersTones_AndNotItsOwn()
    {
        var harness = new MixerHarness();
        var legs = Tones.Select((f, i) => harness.AddLeg(i % 2 == 0 ? G711Law.Mu : G711Law.A, f, 6000)).ToArray();
        harness.Step(50);

        for (var i = 0; i < legs.Length; i++)
        {
            var heard = harness.Last(legs[i], Window);
            for (var j = 0; j < legs.Length; j++)
            {
                var share = AudioSignals.ToneShare(heard, Tones[j]);
                if (i == j)
                {
                    Assert.True(share < 0.005, $"leg {i} hears its own {Tones[j]} Hz: {share:F4}");
                }
                else
                {
                    Assert.InRange(share, 0.25, 0.42); // one of three equal tones
                }
            }
        }
    }

    [Fact]
    public void PlayerPairedWithItsPublisher_HearsOnlyTheOtherParticipant()
    {
        // A kiosk and an expert, each publishing on one connection (WHIP) and playing on another (WHEP).
        var harness = new MixerHarness();
        var kioskPublisher = harness.AddLeg(G711Law.Mu, Tones[0], 6000);
        var expertPublisher = harness.AddLeg(G711Law.Mu, Tones[1], 6000);
        var kioskPlayer = harness.AddLeg(G711Law.Mu);
        var expertPlayer = harness.AddLeg(G711Law.A);
        var unpaired = harness.AddLeg(G711Law.Mu);
        Assert.True(harness.Mixer.SetCompanion(kioskPlayer, kioskPublisher));
        Assert.True(harness.Mixer.SetCompanion(expertPlayer, expertPublisher));
        Assert.False(harness.Mixer.SetCompanion(Guid.NewGuid(), kioskPublisher));
        harness.Step(50);

        var kioskHears = harness.Last(kioskPlayer, Window);
        Assert.True(AudioSignals.ToneShare(kioskHears, Tones[0]) < 0.005, "the kiosk hears its own voice back");
        Assert.True(AudioSignals.ToneShare(kioskHears, Tones[1]) > 0.98);
        var expertHears = harness.Last(expertPlayer, Window);
        Assert.True(AudioSignals.ToneShare(expertHears, Tones[1]) < 0.005, "the expert hears their own voice back");
        Assert.True(AudioSignals.ToneShare(expertHears, Tones[0]) > 0.98);
        var listenerHears = harness.Last(unpaired, Window);
        Assert.InRange(AudioSignals.ToneShare(listenerHears, Tones[0]), 0.4, 0.6); // an unpaired player hears both
    }

    [Fact]
    public void MutedLeg_IsLeftOutOfEveryMix_ButStillHearsTheOthers()
    {
        var harness = new MixerHarness();
        var legs = Tones.Take(3).Select(f => harness.AddLeg(G711Law.Mu, f, 6000)).ToArray();
        Assert.True(harness.Mixer.SetMuted(legs[0], true));
        harness.Step(30);

        var secondHears = harness.Last(legs[1], Window);
        Assert.True(AudioSignals.ToneShare(secondHears, Tones[0]) < 0.005);
        Assert.True(AudioSignals.ToneShare(secondHears, Tones[2]) > 0.9);
        var mutedHears = harness.Last(legs[0], Window);
        Assert.True(AudioSignals.ToneShare(mutedHears, Tones[1]) > 0.4);
        Assert.True(AudioSignals.ToneShare(mutedHears, Tones[2]) > 0.4);
        Assert.True(harness.Mixer.IsMuted(legs[0]));

        Assert.True(harness.Mixer.SetMuted(legs[0], false));
        harness.Step(30);
        Assert.True(AudioSignals.ToneShare(harness.Last(legs[1], Window), Tones[0]) > 0.4);
    }

    [Fact]
    public void MuteAllExcept_LeavesOnlyTheMainVenueAudible()
    {
        var harness = new MixerHarness();
        var legs = Tones.Select(f => harness.AddLeg(G711Law.A, f, 6000)).ToArray();
        Assert.True(harness.Mixer.SetMuted(legs[2], true));
        Assert.True(harness.Mixer.MuteAllExcept(legs[2]));
        harness.Step(30);

        Assert.False(harness.Mixer.IsMuted(legs[2]));
        foreach (var listener in new[] { legs[0], legs[1], legs[3] })
        {
            Assert.True(AudioSignals.ToneShare(harness.Last(listener, Window), Tones[2]) > 0.98);
        }

        Assert.True(AudioSignals.Rms(harness.Last(legs[2], Window)) < 10); // the main venue hears nobody
        Assert.False(harness.Mixer.MuteAllExcept(Guid.NewGuid()));
    }

    [Fact]
    public void RemovedLeg_GetsNoMoreFrames_AndLeavesTheMix()
    {
        var harness = new MixerHarness();
        var legs = Tones.Take(3).Select(f => harness.AddLeg(G711Law.Mu, f, 6000)).ToArray();
        harness.Step(20);
        Assert.True(harness.Mixer.RemoveInput(legs[0]));
        Assert.False(harness.Mixer.RemoveInput(legs[0]));
        var framesBefore = harness.Received[legs[0]].Count;
        harness.Step(20);

        Assert.Equal(framesBefore, harness.Received[legs[0]].Count);
        Assert.True(AudioSignals.ToneShare(harness.Last(legs[1], Window), Tones[2]) > 0.98);
        Assert.Equal(2, harness.Mixer.InputCount);
        Assert.True(harness.Mixer.Counters.PacketsForUnknownLeg > 0);
    }

    [Fact]
    public void OutputTimestamps_AreContinuousPerLeg_160PerTick()
    {
        var harness = new MixerHarness();
        var a = harness.AddLeg(G711Law.Mu, 400, 6000);
        var b = harness.AddLeg(G711Law.A);
        harness.Step(10);
        var c = harness.AddLeg(G711Law.Mu);
        harness.Step(10);

        foreach (var leg in new[] { a, b, c })
        {
            var timestamps = harness.Timestamps[leg];
            for (var i = 1; i < timestamps.Count; i++)
            {
                Assert.Equal(unchecked(timestamps[i - 1] + 160u), timestamps[i]);
            }
        }

        Assert.Equal(20, harness.Timestamps[a].Count);
        Assert.Equal(10, harness.Timestamps[c].Count);
    }

    [Fact]
    public void LoudLegs_AreSoftClipped_AndNoLegHearsItsOwnVoiceInTheClippedMix()
    {
        var harness = new MixerHarness();
        var legs = Tones.Take(3).Select(f => harness.AddLeg(G711Law.Mu, f, 32000)).ToArray();
        harness.Step(30);

        for (var i = 0; i < legs.Length; i++)
        {
            var heard = harness.Last(legs[i], Window);
            Assert.True(AudioSignals.ToneShare(heard, Tones[i]) < 0.005, $"leg {i} hears itself");
            Assert.True(heard.Max(s => Math.Abs((int)s)) > MixMath.SoftClipKnee); // the two others did add up past the knee
        }
    }

    [Fact]
    public void SoftClip_IsIdentityBelowTheKnee_MonotonicAndBoundedAbove()
    {
        Assert.Equal(1234, MixMath.SoftClip(1234));
        Assert.Equal(-MixMath.SoftClipKnee, MixMath.SoftClip(-MixMath.SoftClipKnee));
        var previous = (int)short.MinValue;
        for (var x = -40 * 32768; x <= 40 * 32768; x += 7)
        {
            int y = MixMath.SoftClip(x);
            Assert.True(y >= previous, $"{x}");
            Assert.InRange(y, -short.MaxValue, short.MaxValue);
            previous = y;
        }

        Assert.Equal(MixMath.SoftClip(int.MaxValue), -MixMath.SoftClip(-int.MaxValue));
    }

    [Fact]
    public void Level_OfAHalfScaleSine_IsAboutMinus9Dbov_AndOfSilence_IsTheFloor()
    {
        var harness = new MixerHarness();
        var talker = harness.AddLeg(G711Law.Mu, 1000, 16384);
        var quiet = harness.AddLeg(G711Law.A);
        harness.Step(30);

        Assert.InRange(harness.Mixer.Level(talker), -9.53, -8.53); // 20·log10(0.5/√2) = −9.03
        Assert.Equal(ConferenceMixer.SilenceDbov, harness.Mixer.Level(quiet));
        Assert.Equal(ConferenceMixer.SilenceDbov, harness.Mixer.Level(Guid.NewGuid()));

        harness.SetTone(talker, 1000, 0);
        harness.Step(60);
        Assert.True(harness.Mixer.Level(talker) < -60, $"{harness.Mixer.Level(talker)}");
    }

    [Fact]
    public void ActiveSpeaker_MustDominateForTheHoldTime_AndShortBurstsDoNotSwitch()
    {
        var harness = new MixerHarness(new ConferenceMixerOptions
        {
            JitterBuffer = new AudioJitterBufferOptions { Adaptive = false, InitialDepthMs = 40 },
            SpeakerHoldTime = TimeSpan.FromMilliseconds(400),
            SpeakerThresholdDbov = -40,
        });
        var changes = new List<(int Step, Guid? Leg)>();
        harness.Mixer.ActiveSpeakerChanged += leg => changes.Add((harness.Steps + 1, leg));
        var a = harness.AddLeg(G711Law.Mu, 400, 4000);
        var b = harness.AddLeg(G711Law.Mu);
        harness.Step(40);

        var first = Assert.Single(changes);
        Assert.Equal(a, first.Leg);
        Assert.InRange(first.Step, 22, 26); // 40 ms jitter depth + 400 ms hold (+ a frame of smoothing)
        Assert.Equal(a, harness.Mixer.ActiveSpeaker);

        // b shouts for 100 ms over a: with its fade-out still shorter than the hold, no switch
        harness.SetTone(b, 700, 16000);
        harness.Step(5);
        harness.SetTone(b, 700, 0);
        harness.Step(40);
        Assert.Single(changes);

        // a stops, b talks on: b takes over after the hold
        harness.SetTone(a, 400, 0);
        harness.SetTone(b, 700, 8000);
        var switchStart = harness.Steps;
        harness.Step(40);
        Assert.Equal(2, changes.Count);
        Assert.Equal(b, changes[1].Leg);
        Assert.InRange(changes[1].Step - switchStart, 21, 27);
    }

    [Fact]
    public void ActiveSpeaker_NeedsTheThreshold_AndAMutedLegNeverBecomesSpeaker()
    {
        var harness = new MixerHarness();
        var changes = new List<Guid?>();
        harness.Mixer.ActiveSpeakerChanged += changes.Add;
        var whisper = harness.AddLeg(G711Law.Mu, 400, 100); // about −50 dBov, under the −40 threshold
        var loud = harness.AddLeg(G711Law.Mu, 700, 16000);
        harness.Mixer.SetMuted(loud, true);
        harness.Step(60);
        Assert.Empty(changes);
        Assert.Null(harness.Mixer.ActiveSpeaker);

        harness.Mixer.SetMuted(loud, false);
        harness.Step(40);
        Assert.Equal([loud], changes);

        // muting the speaker clears it at once
        harness.Mixer.SetMuted(loud, true);
        harness.Step(1);
        Assert.Equal([loud, null], changes);
        Assert.NotEqual(whisper, harness.Mixer.ActiveSpeaker);
    }

    [Fact]
    public void MalformedPayloads_AreCountedAndDropped_AndNeverThrow()
    {
        var harness = new MixerHarness();
        var a = harness.AddLeg(G711Law.Mu, 400, 6000);
        var b = harness.AddLeg(G711Law.A);
        var mixer = harness.Mixer;
        mixer.Push(a, [], 1, 0, 0, false);
        mixer.Push(a, new byte[1], 2, 0, 0, false);
        mixer.Push(a, new byte[161], 3, 0, 8, false);
        mixer.Push(a, new byte[1000], 4, 0, 0, false);
        mixer.Push(a, new byte[160], 5, 0, 13, false); // comfort noise is not mixed
        mixer.Push(Guid.NewGuid(), new byte[160], 6, 0, 0, false);
        var counters = mixer.Counters;
        Assert.Equal(4, counters.PacketsMalformed);
        Assert.Equal(1, counters.PacketsUnsupportedPayloadType);
        Assert.Equal(1, counters.PacketsForUnknownLeg);

        // and random garbage after that, while the room goes on
        var random = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            var junk = new byte[random.Next(0, 700)];
            random.NextBytes(junk);
            mixer.Push(random.Next(2) == 0 ? a : b, junk, (ushort)random.Next(), (uint)random.Next(), (byte)random.Next(0, 128), random.Next(2) == 0);
            if (i % 100 == 0)
            {
                mixer.Tick();
            }
        }

        Assert.True(mixer.Counters.PacketsMalformed > 4);
        harness.Step(30);
        Assert.Equal(0, mixer.Counters.HandlerErrors);
    }

    [Fact]
    public void ThrowingFrameHandler_IsCounted_AndOtherLegsStillGetTheirFrames()
    {
        var harness = new MixerHarness();
        var a = harness.AddLeg(G711Law.Mu, 400, 6000);
        var b = harness.AddLeg(G711Law.Mu, 700, 6000);
        harness.Mixer.FrameMixed += (leg, _, _) =>
        {
            if (leg == a)
            {
                throw new InvalidOperationException("socket gone");
            }
        };
        harness.Step(10);
        Assert.Equal(10, harness.Received[b].Count / Frame);
        Assert.Equal(10, harness.Mixer.Counters.HandlerErrors);
    }

    [Fact]
    public void SteadyStateTick_WithThirtyLegs_AllocatesNothing()
    {
        var mixer = new ConferenceMixer();
        var legs = Enumerable.Range(0, 30).Select(_ => Guid.NewGuid()).ToArray();
        var payloads = new byte[legs.Length][];
        for (var i = 0; i < legs.Length; i++)
        {
            mixer.AddInput(legs[i], i % 3 == 0 ? G711Law.A : G711Law.Mu);
            mixer.SetTelephoneEventPayloadType(legs[i], 101);
            payloads[i] = AudioSignals.ToneG711(300 + (i * 50), 3000, 0, Frame, G711Law.Mu);
        }

        mixer.SetMuted(legs[5], true);
        long delivered = 0;
        mixer.FrameMixed += (_, payload, _) => delivered += payload[0];
        void Run(int ticks, int start)
        {
            for (var t = start; t < start + ticks; t++)
            {
                for (var i = 0; i < legs.Length; i++)
                {
                    mixer.Push(legs[i], payloads[i], (ushort)t, (uint)(t * Frame), 0, false);
                }

                mixer.Tick();
            }
        }

        Run(300, 0);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Run(500, 300);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.True(delivered > 0);
        Assert.Equal(800 * 30, mixer.Counters.FramesSent);
    }

    [Fact]
    public async Task ConcurrentPushesFromReceiveThreads_WhileTicking_AreSafe()
    {
        var mixer = new ConferenceMixer();
        var legs = Enumerable.Range(0, 8).Select(_ => Guid.NewGuid()).ToArray();
        foreach (var leg in legs)
        {
            mixer.AddInput(leg, G711Law.Mu);
        }

        long frames = 0;
        mixer.FrameMixed += (_, _, _) => Interlocked.Increment(ref frames);
        var payload = AudioSignals.ToneG711(500, 5000, 0, Frame, G711Law.Mu);

        // Dedicated threads and a clock deadline, not thread-pool tasks and a timer: nine spinning pool threads would
        // starve the pool (and the timer that should stop them), stalling every other test in this process for seconds.
        var until = Environment.TickCount64 + 500;
        var threads = legs.Select(leg => new Thread(() =>
        {
            ushort sequence = 0;
            while (Environment.TickCount64 < until)
            {
                mixer.Push(leg, payload, sequence, sequence * 160u, 0, false);
                sequence++;
            }
        })).Append(new Thread(() =>
        {
            while (Environment.TickCount64 < until)
            {
                mixer.Tick();
                mixer.SetMuted(legs[0], !mixer.IsMuted(legs[0]));
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        var deadline = Environment.TickCount64 + 10_000;
        while (threads.Any(t => t.IsAlive))
        {
            Assert.True(Environment.TickCount64 < deadline, "a pushing thread did not stop");
            await Task.Delay(20);
        }
        Assert.True(Interlocked.Read(ref frames) > 0);
        Assert.Equal(0, mixer.Counters.HandlerErrors);
    }
}
