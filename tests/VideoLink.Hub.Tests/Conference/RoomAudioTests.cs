using VideoLink.Hub.Conference;

namespace VideoLink.Hub.Tests.Conference;

public sealed class RoomAudioTests
{
    private static byte[] Tone(double amplitude, AudioLaw law)
    {
        var frame = new byte[G711.FrameBytes];
        for (var i = 0; i < frame.Length; i++)
        {
            frame[i] = G711.Encode((short)(amplitude * 32767 * Math.Sin(2 * Math.PI * 440 * i / 8000.0)), law);
        }

        return frame;
    }

    [Theory]
    [InlineData(AudioLaw.MuLaw)]
    [InlineData(AudioLaw.ALaw)]
    public void G711_RoundTrip_StaysWithinTheQuantisationStep(AudioLaw law)
    {
        for (var sample = -32000; sample <= 32000; sample += 97)
        {
            var decoded = G711.Decode(G711.Encode((short)sample, law), law);
            Assert.True(Math.Abs(decoded - sample) <= Math.Max(16, Math.Abs(sample) / 12), $"{law} {sample} → {decoded}");
        }

        Assert.InRange((int)G711.Decode(G711.Silence(law), law), -8, 8);
    }

    [Fact]
    public void EachLeg_HearsTheLoudestOtherLeg_NeverItself()
    {
        using var audio = new SelectingRoomAudio();
        Guid a = Guid.NewGuid(), b = Guid.NewGuid(), c = Guid.NewGuid();
        audio.AddLeg(a, AudioLaw.MuLaw);
        audio.AddLeg(b, AudioLaw.ALaw);
        audio.AddLeg(c, AudioLaw.MuLaw);
        var heard = new Dictionary<Guid, double>();
        for (var tick = 0; tick < 10; tick++)
        {
            audio.Push(a, Tone(0.5, AudioLaw.MuLaw), (ushort)tick, (uint)(tick * 160), 0, false);
            audio.Push(b, Tone(0.1, AudioLaw.ALaw), (ushort)tick, (uint)(tick * 160), 8, false);
            audio.Tick((leg, frame) => heard[leg] = G711.Level(frame, leg == b ? AudioLaw.ALaw : AudioLaw.MuLaw));
        }

        Assert.InRange(heard[a], 0.05, 0.1);   // a hears b (the only other talker), not its own 0.5 tone
        Assert.InRange(heard[b], 0.3, 0.4);    // b hears a, converted to A-law
        Assert.InRange(heard[c], 0.3, 0.4);    // c hears the loudest: a
        Assert.True(audio.Level(a) > audio.Level(b));
    }

    [Fact]
    public void MutedLeg_IsHeardByNobody()
    {
        using var audio = new SelectingRoomAudio();
        Guid a = Guid.NewGuid(), b = Guid.NewGuid();
        audio.AddLeg(a, AudioLaw.MuLaw);
        audio.AddLeg(b, AudioLaw.MuLaw);
        audio.SetMuted(a, true);
        double heardByB = -1;

        audio.Push(a, Tone(0.5, AudioLaw.MuLaw), 1, 160, 0, false);
        audio.Tick((leg, frame) =>
        {
            if (leg == b)
            {
                heardByB = G711.Level(frame, AudioLaw.MuLaw);
            }
        });

        Assert.True(audio.IsMuted(a));
        Assert.InRange(heardByB, 0, 0.001);
    }

    [Fact]
    public void Dtmf_EndPacket_IsReportedOnce()
    {
        using var audio = new SelectingRoomAudio();
        var a = Guid.NewGuid();
        audio.AddLeg(a, AudioLaw.MuLaw);
        var digits = new List<char>();
        audio.DtmfReceived += (_, e) => digits.Add(e.Digit);

        audio.Push(a, [5, 0x0A, 0x00, 0xA0], 1, 8000, 101, false);          // digit 5, not ended
        for (var i = 0; i < 3; i++)
        {
            audio.Push(a, [5, 0x8A, 0x03, 0x20], (ushort)(2 + i), 8000, 101, false); // end, sent three times (RFC 4733 §2.5.1.4)
        }

        audio.Push(a, [11, 0x8A, 0x03, 0x20], 5, 16000, 101, false);         // '#'
        audio.Push(a, [200, 0x8A, 0x03, 0x20], 6, 24000, 101, false);        // not a DTMF event: ignored

        Assert.Equal(['5', '#'], digits);
    }

    [Fact]
    public void ThroughTheMixer_ATalkerIsHeardByOthers_AndNotByItself()
    {
        using var audio = new MixerRoomAudio(new VideoLink.Media.Audio.ConferenceMixer());
        Guid a = Guid.NewGuid(), b = Guid.NewGuid();
        audio.AddLeg(a, AudioLaw.MuLaw);
        audio.AddLeg(b, AudioLaw.ALaw);
        var heard = new Dictionary<Guid, double>();
        for (var tick = 0; tick < 30; tick++)
        {
            audio.Push(a, Tone(0.5, AudioLaw.MuLaw), (ushort)tick, (uint)(tick * 160), 0, tick == 0);
            audio.Tick((leg, frame) => heard[leg] = G711.Level(frame, leg == b ? AudioLaw.ALaw : AudioLaw.MuLaw));
        }

        Assert.InRange(heard[b], 0.2, 0.5);
        Assert.InRange(heard[a], 0, 0.001);
        Assert.True(audio.Level(a) > 0.1, $"level {audio.Level(a)}");
    }
}
