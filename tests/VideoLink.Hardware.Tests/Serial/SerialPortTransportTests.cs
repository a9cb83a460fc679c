using VideoLink.Hardware.Serial;
using VideoLink.Hardware.Simulators.Hosting;
using VideoLink.Hardware.Transport;
using static VideoLink.Hardware.Tests.TestSupport;

namespace VideoLink.Hardware.Tests.Serial;

public sealed class SerialPortTransportTests
{
    [Theory]
    [InlineData(8, SerialParity.None, SerialStopBits.One, 0x30u)]
    [InlineData(7, SerialParity.Even, SerialStopBits.Two, 0x20u | 0x100u | 0x40u)]
    [InlineData(8, SerialParity.Odd, SerialStopBits.One, 0x30u | 0x100u | 0x200u)]
    [InlineData(8, SerialParity.Mark, SerialStopBits.One, 0x30u | 0x100u | 0x200u | 0x40000000u)]
    [InlineData(5, SerialParity.Space, SerialStopBits.Two, 0x00u | 0x100u | 0x40000000u | 0x40u)]
    public void ControlFlags_EncodeFraming(int dataBits, SerialParity parity, SerialStopBits stopBits, uint expected)
    {
        var settings = new SerialPortSettings { Path = "/dev/x", DataBits = dataBits, Parity = parity, StopBits = stopBits };

        // Start from "everything set" to prove the old framing bits are cleared.
        uint cflag = SerialPortTransport.ComposeControlFlags(0xFFFFFFFF & ~LibC.CrtsCts, settings);

        const uint framingMask = LibC.CSize | LibC.ParEnb | LibC.ParOdd | LibC.CStopB | LibC.CmsPar;
        Assert.Equal(expected, cflag & framingMask);
        Assert.Equal(LibC.CLocal | LibC.CRead, cflag & (LibC.CLocal | LibC.CRead));
        Assert.Equal(0u, cflag & LibC.CrtsCts);
    }

    [Theory]
    [InlineData(2400, SerialStopBits.One, 0xBu)]
    [InlineData(9600, SerialStopBits.Two, 0xDu)]
    [InlineData(38400, SerialStopBits.One, 0xFu)]
    [InlineData(115200, SerialStopBits.Two, 0x1002u)]
    public async Task Open_OnPty_AppliesSpeedStopBitsAndRawMode(int baud, SerialStopBits stopBits, uint expectedSpeed)
    {
        // A pty keeps speed, stop bits and local modes; the kernel forces CS8 and no parity on ptys,
        // so data bits and parity are covered by ControlFlags_EncodeFraming instead.
        await using var pty = await PtyPair.StartAsync(null, CancellationToken.None).WaitAsync(Bound);
        await using var port = new SerialPortTransport(new SerialPortSettings { Path = pty.DevicePath, BaudRate = baud, StopBits = stopBits });

        await port.OpenAsync(CancellationToken.None).AsTask().WaitAsync(Bound);
        var termios = LibC.Snapshot(pty.DevicePath);

        Assert.Equal(expectedSpeed, termios.CFlag & 0x100F); // CBAUD
        Assert.Equal(stopBits == SerialStopBits.Two ? LibC.CStopB : 0u, termios.CFlag & LibC.CStopB);
        Assert.Equal(0u, termios.LFlag & 0x0A);              // ICANON | ECHO cleared by cfmakeraw
        Assert.Equal((byte)0, termios.VMin);
        Assert.Equal((byte)0, termios.VTime);
        Assert.Equal(TransportState.Open, port.State);
    }

    [Fact]
    public async Task BytesFlowBothWays_AndReadTimeoutIsACancellation()
    {
        await using var pty = await PtyPair.StartAsync(null, CancellationToken.None).WaitAsync(Bound);
        await using var a = new SerialPortTransport(new SerialPortSettings { Path = pty.DevicePath });
        await using var b = new SerialPortTransport(new SerialPortSettings { Path = pty.SimulatorPath });
        await a.OpenAsync(CancellationToken.None).AsTask().WaitAsync(Bound);
        await b.OpenAsync(CancellationToken.None).AsTask().WaitAsync(Bound);

        using var quiet = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => b.ReadAsync(new byte[16], quiet.Token).AsTask().WaitAsync(Bound));

        var payload = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(); // raw mode: 0x00, 0x0D, 0x11, 0xFF all pass untouched
        await a.WriteAsync(payload, CancellationToken.None).AsTask().WaitAsync(Bound);
        var received = new List<byte>();
        var buffer = new byte[512];
        while (received.Count < payload.Length)
        {
            int n = await b.ReadAsync(buffer, CancellationToken.None).AsTask().WaitAsync(Bound);
            received.AddRange(buffer.AsSpan(0, n));
        }

        Assert.Equal(payload, received);
    }

    [Fact]
    public async Task Unplug_EndsReadsWithTransportClosed_AndRaisesDisconnected()
    {
        var pty = await PtyPair.StartAsync(null, CancellationToken.None).WaitAsync(Bound);
        await using var port = new SerialPortTransport(new SerialPortSettings { Path = pty.DevicePath });
        var states = new List<TransportState>();
        port.StateChanged += (_, e) => { lock (states) { states.Add(e.State); } };
        await port.OpenAsync(CancellationToken.None).AsTask().WaitAsync(Bound);
        var pendingRead = port.ReadAsync(new byte[16], CancellationToken.None).AsTask();

        await pty.UnplugAsync().WaitAsync(Bound);

        await Assert.ThrowsAsync<TransportClosedException>(() => pendingRead.WaitAsync(Bound));
        Assert.Equal(TransportState.Disconnected, port.State);
        await Assert.ThrowsAsync<TransportException>(() => port.OpenAsync(CancellationToken.None).AsTask().WaitAsync(Bound));
        lock (states)
        {
            Assert.Equal([TransportState.Opening, TransportState.Open, TransportState.Disconnected, TransportState.Opening, TransportState.Disconnected], states);
        }
    }

    [Fact]
    public async Task Open_MissingDevice_ThrowsAndStaysReopenable()
    {
        await using var port = new SerialPortTransport(new SerialPortSettings { Path = "/dev/videolink-no-such-tty" });

        var error = await Assert.ThrowsAsync<TransportException>(() => port.OpenAsync(CancellationToken.None).AsTask().WaitAsync(Bound));

        Assert.Contains("No such file", error.Message, StringComparison.Ordinal);
        Assert.Equal(TransportState.Disconnected, port.State);
    }

    [Fact]
    public void UnsupportedSettings_AreRefusedNamingTheField()
    {
        Assert.Equal("BaudRate", Assert.Throws<ArgumentException>(() => new SerialPortTransport(new SerialPortSettings { Path = "/dev/x", BaudRate = 31250 })).ParamName);
        Assert.Equal("DataBits", Assert.Throws<ArgumentException>(() => new SerialPortTransport(new SerialPortSettings { Path = "/dev/x", DataBits = 9 })).ParamName);
        Assert.Equal("8N1", new SerialPortSettings { Path = "/dev/x" }.Framing);
        Assert.Equal("7E2", new SerialPortSettings { Path = "/dev/x", DataBits = 7, Parity = SerialParity.Even, StopBits = SerialStopBits.Two }.Framing);
    }

    [Fact]
    public async Task NonTerminalPath_IsRefusedAtOpen()
    {
        string file = Path.GetTempFileName();
        try
        {
            await using var port = new SerialPortTransport(new SerialPortSettings { Path = file });
            var error = await Assert.ThrowsAsync<TransportException>(() => port.OpenAsync(CancellationToken.None).AsTask().WaitAsync(Bound));
            Assert.Contains("not a terminal", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
