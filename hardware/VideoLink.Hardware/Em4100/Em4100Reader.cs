using System.Globalization;
using Microsoft.Extensions.Logging;
using VideoLink.Hardware.Devices;
using VideoLink.Hardware.Queue;
using VideoLink.Hardware.Serial;

namespace VideoLink.Hardware.Em4100;

/// <summary>
/// An RDM6300-style EM4100 reader (9600 8N1, output only). The reader repeats the frame every
/// ~100–200 ms while a tag stays in the field, so a tag is reported once per presentation: again
/// only after no frame of it arrived for <see cref="RepeatWindow"/>, or after another tag.
/// </summary>
public sealed class Em4100Reader : PortDevice, ICardReader
{
    /// <summary>Default silence that ends a presentation.</summary>
    public static readonly TimeSpan DefaultRepeatWindow = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _clock;
    private readonly object _gate = new();
    private ulong? _lastTag;
    private long _lastSeen;

    private Em4100Reader(DevicePort port, TimeSpan repeatWindow, TimeProvider clock)
        : base(port)
    {
        RepeatWindow = repeatWindow;
        _clock = clock;
        port.UnsolicitedFrame += OnFrame;
    }

    /// <inheritdoc />
    public event EventHandler<CardReadEventArgs>? CardRead;

    /// <summary>Silence after which the same tag counts as a new presentation.</summary>
    public TimeSpan RepeatWindow { get; }

    /// <summary>Reader on a serial port.</summary>
    public static Em4100Reader CreateSerial(SerialPortSettings serial, TimeSpan? repeatWindow = null, DevicePortOptions? portOptions = null, ILogger? logger = null, TimeProvider? clock = null) =>
        new(new DevicePort(new SerialPortTransport(serial), Em4100Framer.Instance, portOptions, logger), repeatWindow ?? DefaultRepeatWindow, clock ?? TimeProvider.System);

    /// <summary>The identity for a tag: key <c>em4100:0102030405</c>, display the decimal of the low 32 bits as printed on cards.</summary>
    public static CardIdentity Identity(ulong tag) => new()
    {
        Kind = CardKind.Em4100,
        Key = "em4100:" + tag.ToString("X10", CultureInfo.InvariantCulture),
        Display = (tag & 0xFFFFFFFF).ToString("D10", CultureInfo.InvariantCulture),
    };

    private void OnFrame(object? sender, DeviceFrameEventArgs e)
    {
        if (!Em4100Framer.TryDecode(e.Frame.Span, out ulong tag))
        {
            return;
        }

        long now = _clock.GetTimestamp();
        bool isNew;
        lock (_gate)
        {
            isNew = _lastTag != tag || _clock.GetElapsedTime(_lastSeen, now) > RepeatWindow;
            _lastTag = tag;
            _lastSeen = now;
        }

        if (isNew)
        {
            CardRead?.Invoke(this, new CardReadEventArgs(Identity(tag), _clock.GetUtcNow()));
        }
    }
}
