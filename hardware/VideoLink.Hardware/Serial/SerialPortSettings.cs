namespace VideoLink.Hardware.Serial;

/// <summary>Parity of a serial frame.</summary>
public enum SerialParity
{
    /// <summary>No parity bit.</summary>
    None,

    /// <summary>Even parity.</summary>
    Even,

    /// <summary>Odd parity.</summary>
    Odd,

    /// <summary>Parity bit always 1.</summary>
    Mark,

    /// <summary>Parity bit always 0.</summary>
    Space,
}

/// <summary>Stop bits of a serial frame.</summary>
public enum SerialStopBits
{
    /// <summary>One stop bit.</summary>
    One = 1,

    /// <summary>Two stop bits.</summary>
    Two = 2,
}

/// <summary>Where and how to open a serial port; the default framing is 9600 8N1 (VISCA, MDC, EM4100, LCUS).</summary>
public sealed record SerialPortSettings
{
    /// <summary>The default baud rate.</summary>
    public const int DefaultBaudRate = 9600;

    /// <summary>Device path, e.g. <c>/dev/ttyUSB0</c> or a <c>/dev/serial/by-id/…</c> link.</summary>
    public required string Path { get; init; }

    /// <summary>One of 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400.</summary>
    public int BaudRate { get; init; } = DefaultBaudRate;

    /// <summary>5 to 8.</summary>
    public int DataBits { get; init; } = 8;

    /// <summary>Parity.</summary>
    public SerialParity Parity { get; init; } = SerialParity.None;

    /// <summary>Stop bits.</summary>
    public SerialStopBits StopBits { get; init; } = SerialStopBits.One;

    /// <summary>RTS/CTS hardware flow control (rare on AV gear; off by default).</summary>
    public bool HardwareFlowControl { get; init; }

    /// <summary>The framing as usually written, e.g. <c>8N1</c>.</summary>
    public string Framing => $"{DataBits}{Parity.ToString()[0]}{(int)StopBits}";

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad field.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Path))
        {
            throw new ArgumentException("A serial port path is required.", nameof(Path));
        }

        if (!LibC.TryGetSpeed(BaudRate, out _))
        {
            throw new ArgumentException($"Baud rate {BaudRate} is not supported (1200–230400).", nameof(BaudRate));
        }

        if (DataBits is < 5 or > 8)
        {
            throw new ArgumentException($"Data bits must be 5–8, not {DataBits}.", nameof(DataBits));
        }

        if (!Enum.IsDefined(StopBits))
        {
            throw new ArgumentException($"Stop bits must be 1 or 2, not {(int)StopBits}.", nameof(StopBits));
        }

        if (!Enum.IsDefined(Parity))
        {
            throw new ArgumentException($"Unknown parity {Parity}.", nameof(Parity));
        }
    }
}
