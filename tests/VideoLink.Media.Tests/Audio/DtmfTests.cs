using VideoLink.Media.Audio;

namespace VideoLink.Media.Tests.Audio;

/// <summary>RFC 4733 telephone events through the mixer, as a SIP phone or Chromium sends them.</summary>
public sealed class DtmfTests
{
    private const byte EventType = 101;
    private readonly ConferenceMixer _mixer = new();
    private readonly Guid _phone = Guid.NewGuid();
    private readonly Guid _listener = Guid.NewGuid();
    private readonly List<(Guid Leg, char Digit, TimeSpan Duration)> _digits = [];
    private ushort _sequence = 40000;

    public DtmfTests()
    {
        _mixer.AddInput(_phone, G711Law.Mu);
        _mixer.AddInput(_listener, G711Law.Mu);
        Assert.True(_mixer.SetTelephoneEventPayloadType(_phone, EventType));
        _mixer.DtmfReceived += (leg, digit, duration) => _digits.Add((leg, digit, duration));
    }

    /// <summary>§2.3 payload: event, E|R|volume, duration (big-endian).</summary>
    private static byte[] Event(byte code, bool end, int duration, int volume = 10) =>
        [code, (byte)((end ? 0x80 : 0) | volume), (byte)(duration >> 8), (byte)duration];

    private void Send(byte[] payload, uint timestamp, bool marker = false, byte payloadType = EventType) =>
        _mixer.Push(_phone, payload, _sequence++, timestamp, payloadType, marker);

    /// <summary>
    /// A key press the way phones send it (RFC 4733 §2.5.1): a start packet with the marker, an update every 50 ms
    /// with the growing duration, all with the event's start timestamp, then the end packet three times.
    /// </summary>
    private void Press(byte code, uint timestamp, int updates, int endDuration)
    {
        Send(Event(code, false, 400), timestamp, marker: true);
        _mixer.Tick();
        for (var i = 2; i <= updates; i++)
        {
            Send(Event(code, false, 400 * i), timestamp);
            _mixer.Tick();
            _mixer.Tick();
            _mixer.Tick();
        }

        for (var i = 0; i < 3; i++)
        {
            Send(Event(code, true, endDuration), timestamp);
            _mixer.Tick();
        }
    }

    [Fact]
    public void RecordedKeyPresses_RaiseOneEventPerDigit_WithTheEndDuration()
    {
        Press(1, 160_000, updates: 4, endDuration: 1760); // 220 ms
        Press(11, 170_000, updates: 2, endDuration: 960); // '#', 120 ms
        Press(12, 180_000, updates: 1, endDuration: 400); // 'A'

        Assert.Equal(
            [(_phone, '1', TimeSpan.FromMilliseconds(220)), (_phone, '#', TimeSpan.FromMilliseconds(120)), (_phone, 'A', TimeSpan.FromMilliseconds(50))],
            _digits);
        Assert.Equal(3, _mixer.Counters.DtmfDigits);
    }

    [Fact]
    public void AllEndPacketsLost_TheDigitEndsOnTheTimeout_AndLateRetransmissionsAreIgnored()
    {
        Send(Event(9, false, 400), 8000, marker: true);
        Send(Event(9, false, 800), 8000);
        for (var i = 0; i < 49; i++)
        {
            _mixer.Tick();
        }

        Assert.Empty(_digits); // under the 1 s timeout
        _mixer.Tick();
        Assert.Equal([(_phone, '9', TimeSpan.FromMilliseconds(100))], _digits);

        Send(Event(9, true, 1200), 8000);
        Send(Event(9, true, 1200), 8000);
        _mixer.Tick();
        Assert.Single(_digits);
    }

    [Fact]
    public void NewEventBeforeTheEnd_EndsThePreviousDigit()
    {
        Send(Event(4, false, 400), 1000, marker: true);
        _mixer.Tick();
        Send(Event(5, false, 400), 3000, marker: true);
        _mixer.Tick();
        Send(Event(5, true, 800), 3000);
        _mixer.Tick();
        Send(Event(4, false, 800), 1000); // reordered straggler of the first digit
        _mixer.Tick();

        Assert.Equal(['4', '5'], _digits.Select(d => d.Digit));
    }

    [Fact]
    public void TelephoneEvents_AreNotMixedAsAudio()
    {
        var frames = new List<byte[]>();
        _mixer.FrameMixed += (leg, payload, _) =>
        {
            if (leg == _listener)
            {
                frames.Add(payload.ToArray());
            }
        };
        for (var i = 0; i < 20; i++)
        {
            // 160-byte payloads on the event type: G.711-sized, but they must not be heard
            var payload = new byte[160];
            Event(7, false, 400 * (i + 1)).CopyTo(payload, 0);
            Send(payload, 4000);
            _mixer.Tick();
        }

        Assert.All(frames, f => Assert.All(f, b => Assert.Equal(G711.MuSilence, b)));
        Assert.Equal(20, _mixer.Counters.TelephoneEventPackets);
        Assert.Equal(ConferenceMixer.SilenceDbov, _mixer.Level(_phone));
    }

    [Fact]
    public void ShortPayloads_AreMalformed_AndNonDigitEventsAndUnnegotiatedTypesAreIgnored()
    {
        Send([1, 0x80, 0], 100);
        Send(Event(16, true, 800), 200); // flash (hook flash), not a digit
        Send(Event(3, true, 800), 300, payloadType: 96); // not the negotiated type
        for (var i = 0; i < 60; i++)
        {
            _mixer.Tick();
        }

        Assert.Empty(_digits);
        Assert.Equal(1, _mixer.Counters.PacketsMalformed);
        Assert.Equal(1, _mixer.Counters.PacketsUnsupportedPayloadType);
        Assert.False(_mixer.SetTelephoneEventPayloadType(_phone, 0)); // PCMU's type cannot be the event type
        Assert.False(_mixer.SetTelephoneEventPayloadType(Guid.NewGuid(), 101));
    }

    [Fact]
    public void DigitMap_FollowsRfc4733Table7()
    {
        Assert.Equal("0123456789*#ABCD", new string(Enumerable.Range(0, 16).Select(c => TelephoneEventReceiver.DigitOf((byte)c)!.Value).ToArray()));
        Assert.Null(TelephoneEventReceiver.DigitOf(16));
    }
}
