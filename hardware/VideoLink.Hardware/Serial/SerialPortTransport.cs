using System.Runtime.InteropServices;
using VideoLink.Hardware.Transport;

namespace VideoLink.Hardware.Serial;

/// <summary>
/// A Linux serial port on termios (System.IO.Ports is not obtainable here): opened
/// O_RDWR|O_NOCTTY|O_NONBLOCK, raw mode via cfmakeraw(3), speed via cfsetispeed/cfsetospeed, framing
/// (data bits, parity, stop bits) in c_cflag, VMIN=VTIME=0 because reads wait in poll(2) instead.
/// </summary>
public sealed class SerialPortTransport : PollingFdTransport
{
    private readonly SerialPortSettings _settings;

    /// <summary>Creates a port; nothing is opened yet.</summary>
    public SerialPortTransport(SerialPortSettings settings)
        : base(Validated(settings).Path)
    {
        _settings = settings;
    }

    /// <summary>The settings the port opens with.</summary>
    public SerialPortSettings Settings => _settings;

    /// <inheritdoc />
    public override string Description => $"serial:{_settings.Path}@{_settings.BaudRate},{_settings.Framing}";

    /// <inheritdoc />
    protected override unsafe void Configure(int fd)
    {
        // TIOCEXCL: a second agent (or a stray minicom) must not share the line; failure is harmless.
        _ = LibC.Ioctl(fd, LibC.TiocExcl);

        LibC.Termios termios;
        if (LibC.TcGetAttr(fd, &termios) != 0)
        {
            throw new TransportException($"{_settings.Path} is not a terminal: {LibC.Describe(Marshal.GetLastPInvokeError())}");
        }

        // termios(3): cfmakeraw clears echo, canonical mode, signals and CR/NL translation.
        LibC.CfMakeRaw(&termios);
        LibC.TryGetSpeed(_settings.BaudRate, out uint speed);
        if (LibC.CfSetISpeed(&termios, speed) != 0 || LibC.CfSetOSpeed(&termios, speed) != 0)
        {
            throw new TransportException($"Cannot set {_settings.BaudRate} baud on {_settings.Path}.");
        }

        termios.CFlag = ComposeControlFlags(termios.CFlag, _settings);
        termios.IFlag &= ~(LibC.IxOn | LibC.IxOff | LibC.IxAny);

        // Non-blocking fd + poll(): VMIN/VTIME 0 so read() never waits inside the kernel.
        termios.ControlChars[LibC.VMin] = 0;
        termios.ControlChars[LibC.VTime] = 0;
        if (LibC.TcSetAttr(fd, LibC.TcsaNow, &termios) != 0)
        {
            throw new TransportException($"tcsetattr failed on {_settings.Path}: {LibC.Describe(Marshal.GetLastPInvokeError())}");
        }

        _ = LibC.TcFlush(fd, LibC.TcIoFlush);
    }

    /// <summary>c_cflag for <paramref name="settings"/>: size, parity, stop bits, flow control, CLOCAL | CREAD.</summary>
    internal static uint ComposeControlFlags(uint current, SerialPortSettings settings)
    {
        uint cflag = current & ~(LibC.CSize | LibC.CStopB | LibC.ParEnb | LibC.ParOdd | LibC.CmsPar | LibC.CrtsCts);
        cflag |= settings.DataBits switch
        {
            5 => LibC.Cs5,
            6 => LibC.Cs6,
            7 => LibC.Cs7,
            _ => LibC.Cs8,
        };
        cflag |= settings.Parity switch
        {
            SerialParity.Even => LibC.ParEnb,
            SerialParity.Odd => LibC.ParEnb | LibC.ParOdd,
            SerialParity.Mark => LibC.ParEnb | LibC.ParOdd | LibC.CmsPar,
            SerialParity.Space => LibC.ParEnb | LibC.CmsPar,
            _ => 0u,
        };
        if (settings.StopBits == SerialStopBits.Two)
        {
            cflag |= LibC.CStopB;
        }

        if (settings.HardwareFlowControl)
        {
            cflag |= LibC.CrtsCts;
        }

        // CLOCAL: ignore modem lines (most USB adapters have no DCD); CREAD: enable the receiver.
        return cflag | LibC.CLocal | LibC.CRead;
    }

    private static SerialPortSettings Validated(SerialPortSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        return settings;
    }
}
