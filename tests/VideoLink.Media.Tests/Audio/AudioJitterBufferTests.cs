using VideoLink.Media.Audio;

namespace VideoLink.Media.Tests.Audio;

public sealed class AudioJitterBufferTests
{
    private const int Frame = AudioJitterBuffer.FrameSamples;
    private static readonly AudioJitterBufferOptions Fixed60 = new() { Adaptive = false, InitialDepthMs = 60 };

    /// <summary>A recognisable, never-zero sample for every stream position n.</summary>
    private static short Value(long n) => (short)((n % 30000) + 1);

    private static short[] Samples(long first, int count) => Enumerable.Range(0, count).Select(i => Value(first + i)).ToArray();

    [Fact]
    public void InOrderStream_PlaysBackUnchanged_AfterTheTargetDepth()
    {
        var buffer = new AudioJitterBuffer(Fixed60);
        var output = new Output();
        for (var k = 0; k < 50; k++)
        {
            Assert.Equal(JitterPushResult.Accepted, buffer.Push(Samples(k * Frame, Frame), (ushort)(1000 + k), (uint)(5000 + (k * Frame)), k == 0));
            output.Pull(buffer);
        }

        Assert.All(output.Samples.Take(3 * Frame), s => Assert.Equal(0, s)); // 60 ms of depth
        output.AssertContinuous(Value, 3 * Frame, 47 * Frame);
        Assert.Equal(3, buffer.Statistics.FramesSilent);
        Assert.Equal(47, buffer.Statistics.FramesPlayed);
        Assert.Equal(60, buffer.Statistics.BufferedMs);
    }

    [Fact]
    public void ReorderedPackets_WithinTheDepth_ComeOutInOrder()
    {
        var buffer = new AudioJitterBuffer(Fixed60);
        var output = new Output();
        var order = new[] { 1, 0, 3, 2, 4, 7, 5, 6, 9, 8 };
        for (var round = 0; round < 4; round++)
        {
            foreach (var i in order)
            {
                var k = (round * 10) + i;
                buffer.Push(Samples(k * Frame, Frame), (ushort)k, (uint)(k * Frame), false);
                output.Pull(buffer);
            }
        }

        var start = output.IndexOf(Value(0), Value(1));
        output.AssertContinuous(Value, start, 36 * Frame);
        Assert.Equal(0, buffer.Statistics.PacketsLate);
        Assert.Equal(0, buffer.Statistics.FramesConcealed);
    }

    [Fact]
    public void LostPacket_IsConcealedByTheFadedLastFrame_ThenTheStreamResumes()
    {
        var buffer = new AudioJitterBuffer(Fixed60);
        var output = new Output();
        for (var k = 0; k < 30; k++)
        {
            if (k != 10)
            {
                buffer.Push(Samples(k * Frame, Frame), (ushort)k, (uint)(k * Frame), false);
            }

            output.Pull(buffer);
        }

        var start = 3 * Frame;
        output.AssertContinuous(Value, start, 10 * Frame);
        var concealed = output.Samples.Skip(start + (10 * Frame)).Take(Frame).ToArray();
        Assert.Equal(Value(9 * Frame), concealed[0]); // repeats frame 9, fading from full gain
        Assert.True(Math.Abs((int)concealed[^1]) < Math.Abs((int)Value((10 * Frame) - 1)));
        output.AssertContinuous(Value, start + (11 * Frame), 15 * Frame, firstValue: 11 * Frame);
        Assert.Equal(1, buffer.Statistics.FramesConcealed);
    }

    [Fact]
    public void LongLoss_FadesOutOverTheConcealmentFrames_ThenIsSilence()
    {
        var buffer = new AudioJitterBuffer(Fixed60 with { ConcealmentFrames = 3 });
        var output = new Output();
        var tone = AudioSignals.Tone(500, 10000, 0, 10 * Frame);
        for (var k = 0; k < 10; k++)
        {
            buffer.Push(tone.AsSpan(k * Frame, Frame), (ushort)k, (uint)(k * Frame), false);
            output.Pull(buffer);
        }

        var rms = new List<double>();
        for (var k = 0; k < 8; k++)
        {
            var frame = new short[Frame];
            buffer.Pull(frame);
            rms.Add(AudioSignals.Rms(frame));
        }

        // frames 0–2 still hold the buffered packets 7–9, then three fading repeats, then zeros
        Assert.True(rms[3] > rms[4] && rms[4] > rms[5] && rms[5] > 0, string.Join(", ", rms));
        Assert.Equal(0, rms[6]);
        Assert.Equal(0, rms[7]);
        Assert.Equal(3, buffer.Statistics.FramesConcealed);
    }

    [Fact]
    public void DuplicatePackets_AreCountedAndDropped()
    {
        var buffer = new AudioJitterBuffer(Fixed60);
        var output = new Output();
        for (var k = 0; k < 20; k++)
        {
            Assert.Equal(JitterPushResult.Accepted, buffer.Push(Samples(k * Frame, Frame), (ushort)k, (uint)(k * Frame), false));
            Assert.Equal(JitterPushResult.Duplicate, buffer.Push(Samples(k * Frame, Frame), (ushort)k, (uint)(k * Frame), false));
            if (k >= 2)
            {
                // an old duplicate, its frame already played
                Assert.Equal(JitterPushResult.Duplicate, buffer.Push(Samples((k - 2) * Frame, Frame), (ushort)(k - 2), (uint)((k - 2) * Frame), false));
            }

            output.Pull(buffer);
        }

        output.AssertContinuous(Value, 3 * Frame, 17 * Frame);
        Assert.Equal(38, buffer.Statistics.PacketsDuplicate);
        Assert.Equal(20, buffer.Statistics.PacketsAccepted);
    }

    [Fact]
    public void SequenceAndTimestampWrap_AreSeamless()
    {
        var buffer = new AudioJitterBuffer(Fixed60);
        var output = new Output();
        const ushort firstSequence = 65530;
        const uint firstTimestamp = uint.MaxValue - (5 * Frame) + 1;
        for (var k = 0; k < 20; k++)
        {
            // swap pairs as well, so reordering across both wraps is exercised
            var i = k % 2 == 0 ? k + 1 : k - 1;
            Assert.Equal(
                JitterPushResult.Accepted,
                buffer.Push(Samples(i * Frame, Frame), unchecked((ushort)(firstSequence + i)), unchecked(firstTimestamp + (uint)(i * Frame)), false));
            output.Pull(buffer);
        }

        output.AssertContinuous(Value, output.IndexOf(Value(0), Value(1)), 16 * Frame);
        var statistics = buffer.Statistics;
        Assert.Equal((0L, 0L, 0L), (statistics.PacketsLate, statistics.PacketsDuplicate, statistics.TimestampJumps));
    }

    [Fact]
    public void LatePacket_IsCountedAndDropped_AndTheAdaptiveDepthGrows()
    {
        var buffer = new AudioJitterBuffer(new AudioJitterBufferOptions { Adaptive = true, MinDepthMs = 40, InitialDepthMs = 40, MaxDepthMs = 200 });
        var output = new Output();
        for (var k = 0; k < 8; k++)
        {
            if (k != 5)
            {
                buffer.Push(Samples(k * Frame, Frame), (ushort)k, (uint)(k * Frame), false);
            }

            output.Pull(buffer); // at k the frame of packet k − 2 plays: packet 5 is missed at k = 7
        }

        Assert.Equal(JitterPushResult.Late, buffer.Push(Samples(5 * Frame, Frame), 5, 5 * Frame, false));
        Assert.Equal(1, buffer.Statistics.PacketsLate);
        Assert.Equal(1, buffer.Statistics.FramesConcealed);
        Assert.Equal(TimeSpan.FromMilliseconds(60), buffer.TargetDepth);

        // playout holds one frame, so the buffer now carries 60 ms and a packet delayed by 40 ms is still in time
        for (var k = 8; k < 30; k++)
        {
            if (k % 5 == 0)
            {
                continue; // sent late, below
            }

            buffer.Push(Samples(k * Frame, Frame), (ushort)k, (uint)(k * Frame), false);
            if (k % 5 == 1 && k > 10)
            {
                Assert.Equal(JitterPushResult.Accepted, buffer.Push(Samples((k - 1) * Frame, Frame), (ushort)(k - 1), (uint)((k - 1) * Frame), false));
            }

            output.Pull(buffer);
        }

        Assert.Equal(1, buffer.Statistics.PacketsLate);
        output.AssertContinuous(Value, output.IndexOf(Value(8 * Frame), Value((8 * Frame) + 1)), 15 * Frame, firstValue: 8 * Frame);
    }

    [Fact]
    public void TimestampJump_WithoutMarker_Reanchors_AndTheNewAudioIsNotLost()
    {
        var buffer = new AudioJitterBuffer(Fixed60);
        var output = new Output();
        for (var k = 0; k < 10; k++)
        {
            buffer.Push(Samples(k * Frame, Frame), (ushort)k, (uint)(k * Frame), false);
            output.Pull(buffer);
        }

        const uint jumped = 3_000_001; // a restarted sender: far away and off the 10 ms grid
        for (var k = 0; k < 10; k++)
        {
            buffer.Push(Samples(100_000 + (k * Frame), Frame), (ushort)(10 + k), jumped + (uint)(k * Frame), false);
            output.Pull(buffer);
        }

        Assert.Equal(1, buffer.Statistics.TimestampJumps);
        output.AssertContinuous(Value, output.IndexOf(Value(100_000), Value(100_001)), 7 * Frame, firstValue: 100_000);
    }

    [Fact]
    public void MarkerAfterSilence_StartsTheNewTalkspurtAtTheTargetDepth()
    {
        var buffer = new AudioJitterBuffer(Fixed60);
        var output = new Output();
        for (var k = 0; k < 10; k++)
        {
            buffer.Push(Samples(k * Frame, Frame), (ushort)k, (uint)(k * Frame), k == 0);
            output.Pull(buffer);
        }

        for (var k = 0; k < 20; k++)
        {
            output.Pull(buffer); // the sender is silent (DTX): nothing arrives
        }

        // the next talkspurt's timestamp is 10 frames earlier than real time would say (a sender whose clock is slow)
        for (var k = 20; k < 30; k++)
        {
            buffer.Push(Samples(k * Frame, Frame), (ushort)(k - 10), (uint)(k * Frame), k == 20);
            output.Pull(buffer);
        }

        Assert.Equal(0, buffer.Statistics.PacketsLate);
        var start = output.IndexOf(Value(20 * Frame), Value((20 * Frame) + 1));
        Assert.Equal((30 + 3) * Frame, start); // 60 ms after the talkspurt's first packet was pushed
        output.AssertContinuous(Value, start, 7 * Frame, firstValue: 20 * Frame);
    }

    [Theory]
    [InlineData(80)] // 10 ms packets
    [InlineData(240)] // 30 ms packets
    [InlineData(480)] // 60 ms packets
    public void OtherPacketisations_PlayBackUnchanged(int packetSamples)
    {
        var buffer = new AudioJitterBuffer(Fixed60 with { InitialDepthMs = 80 });
        var output = new Output();
        var sent = 0;
        ushort sequence = 7;
        for (var pull = 0; pull < 60; pull++)
        {
            // send what a real-time sender has produced by the end of this 20 ms
            while (sent + packetSamples <= (pull + 1) * Frame)
            {
                Assert.Equal(JitterPushResult.Accepted, buffer.Push(Samples(sent, packetSamples), sequence++, (uint)(90_000 + sent), false));
                sent += packetSamples;
            }

            output.Pull(buffer);
        }

        var start = output.IndexOf(Value(0), Value(1));
        output.AssertContinuous(Value, start, (60 * Frame) - start - 480);
        Assert.Equal(0, buffer.Statistics.FramesConcealed);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(79)]
    [InlineData(159)]
    [InlineData(161)]
    [InlineData(560)]
    public void MalformedLengths_AreCountedAndDropped(int length)
    {
        var buffer = new AudioJitterBuffer();
        Assert.Equal(JitterPushResult.Malformed, buffer.Push(new short[length], 1, 0, false));
        Assert.Equal(JitterPushResult.Malformed, buffer.Push(new byte[length], G711Law.Mu, 2, 0, false));
        Assert.Equal(2, buffer.Statistics.PacketsMalformed);
        Assert.Equal(JitterPullResult.Silence, buffer.Pull(new short[Frame]));
    }

    [Fact]
    public void AdaptiveDepth_ShrinksAfterQuietPeriods_ByDroppingFrames()
    {
        var buffer = new AudioJitterBuffer(new AudioJitterBufferOptions { Adaptive = true, MinDepthMs = 40, InitialDepthMs = 120, MaxDepthMs = 200 });
        var output = new Output();
        for (var k = 0; k < 1600; k++) // 32 s
        {
            buffer.Push(Samples(k * Frame, Frame), (ushort)k, (uint)(k * Frame), false);
            output.Pull(buffer);
        }

        var statistics = buffer.Statistics;
        Assert.Equal(40, statistics.TargetDepthMs);
        Assert.Equal(40, statistics.BufferedMs);
        Assert.Equal(4, statistics.FramesDropped);
        Assert.Equal(0, statistics.FramesConcealed);
    }

    [Fact]
    public void G711Payloads_AreDecodedByTheirLaw()
    {
        var buffer = new AudioJitterBuffer(Fixed60 with { InitialDepthMs = 20 });
        var tone = AudioSignals.ToneG711(1000, 8000, 0, Frame, G711Law.A);
        buffer.Push(tone, G711Law.A, 1, 0, true);
        var frame = new short[Frame];
        Assert.Equal(JitterPullResult.Silence, buffer.Pull(frame));
        Assert.Equal(JitterPullResult.Audio, buffer.Pull(frame));
        Assert.Equal(AudioSignals.Decode(tone, G711Law.A), frame);
    }

    /// <summary>Everything pulled, in order.</summary>
    private sealed class Output
    {
        public List<short> Samples { get; } = [];

        public void Pull(AudioJitterBuffer buffer)
        {
            var frame = new short[Frame];
            buffer.Pull(frame);
            Samples.AddRange(frame);
        }

        public int IndexOf(short first, short second)
        {
            for (var i = 0; i + 1 < Samples.Count; i++)
            {
                if (Samples[i] == first && Samples[i + 1] == second)
                {
                    return i;
                }
            }

            Assert.Fail($"the stream position {first} never played");
            return -1;
        }

        public void AssertContinuous(Func<long, short> value, int start, int count, long firstValue = 0)
        {
            Assert.True(start + count <= Samples.Count, $"only {Samples.Count} samples, wanted {start}+{count}");
            for (var n = 0; n < count; n++)
            {
                if (Samples[start + n] != value(firstValue + n))
                {
                    Assert.Fail($"sample {start + n} is {Samples[start + n]}, expected stream position {firstValue + n} = {value(firstValue + n)}");
                }
            }
        }
    }
}
