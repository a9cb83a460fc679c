namespace VideoLink.Media.Audio;

/// <summary>What <see cref="TelephoneEventReceiver.Push"/> made of one RFC 4733 payload.</summary>
internal enum TelephoneEventResult
{
    /// <summary>Start or update of an event.</summary>
    Progress,

    /// <summary>An end packet: the digit is queued.</summary>
    Completed,

    /// <summary>A retransmitted end packet (RFC 4733 §2.5.1.4 sends it three times) or an older event: ignored.</summary>
    Repeated,

    /// <summary>An event code that is not a DTMF digit (RFC 4733 §3.2: 16 is flash; line events): ignored.</summary>
    NotDtmf,

    /// <summary>Shorter than the 4-byte event block.</summary>
    Malformed,
}

/// <summary>
/// RFC 4733 telephone events of one RTP stream, turned into one digit per key press. An event is identified by its RTP
/// timestamp (the start of the tone, §2.5.1.2); updates carry a growing duration and the last packet(s) the E bit.
/// Events whose end packets are all lost end on a timeout, or as soon as a newer event starts. Not thread-safe.
/// </summary>
internal sealed class TelephoneEventReceiver
{
    private const string Digits = "0123456789*#ABCD";
    private const int QueueCapacity = 16;

    private readonly (char Digit, int DurationSamples)[] _queue = new (char, int)[QueueCapacity];
    private int _queueHead;
    private int _queueCount;

    private bool _active;
    private uint _eventTimestamp;
    private byte _event;
    private int _durationSamples;
    private long _lastPacketTick;
    private bool _hasCompleted;
    private uint _completedTimestamp;

    public long DigitsDroppedByFullQueue { get; private set; }

    /// <summary>Event code of a DTMF digit (RFC 4733 §3.2 Table 7), or null.</summary>
    public static char? DigitOf(byte eventCode) => eventCode < Digits.Length ? Digits[eventCode] : null;

    public TelephoneEventResult Push(ReadOnlySpan<byte> payload, uint timestamp, long nowTick)
    {
        // §2.3: event (8) | E (1) R (1) volume (6) | duration (16). Redundant blocks may follow; the first describes
        // this packet's event.
        if (payload.Length < 4)
        {
            return TelephoneEventResult.Malformed;
        }

        var code = payload[0];
        var end = (payload[1] & 0x80) != 0;
        var duration = (payload[2] << 8) | payload[3];
        if (code >= Digits.Length)
        {
            return TelephoneEventResult.NotDtmf;
        }

        if (_hasCompleted && (int)(timestamp - _completedTimestamp) <= 0)
        {
            return TelephoneEventResult.Repeated;
        }

        if (_active && timestamp != _eventTimestamp)
        {
            if ((int)(timestamp - _eventTimestamp) < 0)
            {
                return TelephoneEventResult.Repeated; // a reordered packet of an older event
            }

            Complete(); // the previous event's end packets were lost
        }

        if (!_active)
        {
            _active = true;
            _eventTimestamp = timestamp;
            _event = code;
            _durationSamples = duration;
        }
        else
        {
            _durationSamples = Math.Max(_durationSamples, duration);
        }

        _lastPacketTick = nowTick;
        if (end)
        {
            Complete();
            return TelephoneEventResult.Completed;
        }

        return TelephoneEventResult.Progress;
    }

    /// <summary>Ends an event that has had no packet for <paramref name="timeoutTicks"/> ticks.</summary>
    public void CheckTimeout(long nowTick, long timeoutTicks)
    {
        if (_active && nowTick - _lastPacketTick >= timeoutTicks)
        {
            Complete();
        }
    }

    public bool TryDequeue(out char digit, out int durationSamples)
    {
        if (_queueCount == 0)
        {
            digit = default;
            durationSamples = 0;
            return false;
        }

        (digit, durationSamples) = _queue[_queueHead];
        _queueHead = (_queueHead + 1) % QueueCapacity;
        _queueCount--;
        return true;
    }

    private void Complete()
    {
        _active = false;
        _hasCompleted = true;
        _completedTimestamp = _eventTimestamp;
        if (_queueCount == QueueCapacity)
        {
            DigitsDroppedByFullQueue++;
            return;
        }

        _queue[(_queueHead + _queueCount) % QueueCapacity] = (Digits[_event], _durationSamples);
        _queueCount++;
    }
}
