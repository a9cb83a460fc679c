using System.Text;
using Microsoft.Extensions.Logging;
using VideoLink.Hardware.Devices;
using VideoLink.Hardware.Queue;

namespace VideoLink.Hardware.Evdev;

/// <summary>evdev reader settings.</summary>
public sealed record EvdevOptions
{
    /// <summary>Key code → button name (e.g. 59 (F1) → <c>call</c>, 2 → <c>satisfied</c>). Mapped keys never go into card numbers.</summary>
    public IReadOnlyDictionary<int, string> Buttons { get; init; } = new Dictionary<int, string>();

    /// <summary>Collect digits and raise a card read on Enter (keyboard-wedge card readers, QR scanners).</summary>
    public bool KeyboardWedge { get; init; } = true;

    /// <summary>Grab the device exclusively (EVIOCGRAB).</summary>
    public bool Grab { get; init; } = true;

    /// <summary>Longest card number accepted; longer input is dropped as noise.</summary>
    public int MaxDigits { get; init; } = 32;

    /// <summary>Salt for hashing typed resident ID numbers (18 characters); use the district-wide salt.</summary>
    public string IdNumberSalt { get; init; } = string.Empty;

    /// <summary>Re-open policy when the device is unplugged.</summary>
    public DevicePortOptions Port { get; init; } = new();
}

/// <summary>
/// Reads key events from <c>/dev/input/event*</c>: mapped keys become <see cref="ButtonPressed"/>
/// (USB call buttons, 满意/一般/不满意 satisfaction keys), digits followed by Enter become
/// <see cref="CardRead"/> (keyboard-wedge readers type the card number + Enter).
/// </summary>
public sealed class EvdevInputReader : PortDevice, IButtonSource, ICardReader
{
    private readonly EvdevOptions _options;
    private readonly StringBuilder _digits = new();

    private EvdevInputReader(DevicePort port, EvdevOptions options)
        : base(port)
    {
        _options = options;
        port.UnsolicitedFrame += OnEvent;
    }

    /// <inheritdoc />
    public event EventHandler<ButtonPressedEventArgs>? ButtonPressed;

    /// <inheritdoc />
    public event EventHandler<CardReadEventArgs>? CardRead;

    /// <summary>Reader for the input node at <paramref name="path"/>.</summary>
    public static EvdevInputReader Create(string path, EvdevOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var port = new DevicePort(new InputDeviceTransport(path, options.Grab), InputEventFramer.Instance, options.Port, logger);
        return new EvdevInputReader(port, options);
    }

    // GB 11643: 17 digits + a check character (digit or X). Typed ID numbers are personal data too.
    private static bool IsResidentIdNumber(string number) =>
        number.Length == 18 && number.AsSpan(0, 17).IndexOfAnyExceptInRange('0', '9') < 0;

    private void OnEvent(object? sender, DeviceFrameEventArgs e)
    {
        var input = InputEvent.Read(e.Frame.Span);

        // Only key presses (value 1); releases (0) and auto-repeat (2) would double every digit.
        if (input.Type != InputEvent.EvKey || input.Value != 1)
        {
            return;
        }

        if (_options.Buttons.TryGetValue(input.Code, out string? button))
        {
            ButtonPressed?.Invoke(this, new ButtonPressedEventArgs(button, input.Time));
            return;
        }

        if (!_options.KeyboardWedge)
        {
            return;
        }

        if (input.Code is KeyCodes.Enter or KeyCodes.KeypadEnter)
        {
            if (_digits.Length > 0)
            {
                string number = _digits.ToString();
                _digits.Clear();
                var identity = IsResidentIdNumber(number)
                    ? new CardIdentity { Kind = CardKind.ResidentIdCard, Key = CardIdentity.HashIdNumber(number, _options.IdNumberSalt), Display = CardIdentity.MaskIdNumber(number) }
                    : new CardIdentity { Kind = CardKind.KeyboardWedge, Key = "wedge:" + number, Display = number };
                CardRead?.Invoke(this, new CardReadEventArgs(identity, input.Time));
            }

            return;
        }

        if (KeyCodes.Character(input.Code) is { } c)
        {
            if (_digits.Length >= _options.MaxDigits)
            {
                _digits.Clear();
            }

            _digits.Append(c);
        }
    }
}
