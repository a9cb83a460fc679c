using VideoLink.Hardware.Devices;
using VideoLink.Hardware.Queue;
using VideoLink.Hardware.SamsungMdc;
using VideoLink.Hardware.Serial;
using VideoLink.Hardware.Simulators.Hosting;
using VideoLink.Hardware.Simulators.SamsungMdc;
using static VideoLink.Hardware.Tests.TestSupport;

namespace VideoLink.Hardware.Tests.SamsungMdc;

public sealed class SamsungMdcDisplayTests
{
    private static readonly DevicePortOptions FastPort = new() { ReplyTimeout = TimeSpan.FromSeconds(3) };
    private static readonly DevicePortOptions ShortTimer = new() { ReplyTimeout = TimeSpan.FromMilliseconds(500) };

    [Fact]
    public async Task PowerOn_OverSerial_SendsExactMdcBytes()
    {
        await using var simulator = new SamsungMdcSimulator();
        await simulator.StartOnPtyAsync(CancellationToken.None).WaitAsync(Bound);
        await using var display = SamsungMdcDisplay.CreateSerial(new SerialPortSettings { Path = simulator.DevicePath! }, new SamsungMdcOptions { Port = FastPort });

        var result = await display.SetPowerAsync(true, CancellationToken.None).WaitAsync(Bound);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal("AA 11 01 01 01 14", ToHex(simulator.ReceivedBytes));
        Assert.True(simulator.PowerOn);
    }

    [Fact]
    public async Task InputVolumeMuteAndQuery_OverTcp_SendDocumentedBytes()
    {
        await using var simulator = new SamsungMdcSimulator();
        await simulator.StartOnTcpAsync(CancellationToken.None).WaitAsync(Bound);
        await using var display = SamsungMdcDisplay.CreateTcp("127.0.0.1", simulator.Port, new SamsungMdcOptions { Port = FastPort });
        var ct = CancellationToken.None;

        Assert.True((await display.SelectInputAsync("HDMI1", ct).WaitAsync(Bound)).IsSuccess);
        Assert.True((await display.SetVolumeAsync(30, ct).WaitAsync(Bound)).IsSuccess);
        Assert.True((await display.SetMuteAsync(true, ct).WaitAsync(Bound)).IsSuccess);
        Assert.True((await display.SetPowerAsync(false, ct).WaitAsync(Bound)).IsSuccess);
        var query = await display.QueryPowerAsync(ct).WaitAsync(Bound);

        Assert.Equal(PowerState.Off, query.State);
        Assert.Equal(
            ["AA 14 01 01 21 37", "AA 12 01 01 1E 32", "AA 13 01 01 01 16", "AA 11 01 01 00 13", "AA 11 01 00 12"],
            simulator.ReceivedFrames.Select(f => ToHex(f)).ToList());
        Assert.Equal(30, simulator.Volume);
        Assert.True(simulator.Muted);
    }

    [Fact]
    public async Task Nak_IsFatal_AndNotRetried()
    {
        await using var simulator = new SamsungMdcSimulator();
        await simulator.StartOnTcpAsync(CancellationToken.None).WaitAsync(Bound);
        await using var display = SamsungMdcDisplay.CreateTcp("127.0.0.1", simulator.Port, new SamsungMdcOptions { Port = FastPort });
        simulator.EnqueueFault(SimulatorFault.NotExecutable);

        var result = await display.SetPowerAsync(true, CancellationToken.None).WaitAsync(Bound);

        Assert.Equal(DeviceResultStatus.Rejected, result.Status);
        Assert.Single(simulator.ReceivedFrames);
    }

    [Fact]
    public async Task UnknownInput_IsUnsupported()
    {
        await using var simulator = new SamsungMdcSimulator();
        await simulator.StartOnTcpAsync(CancellationToken.None).WaitAsync(Bound);
        await using var display = SamsungMdcDisplay.CreateTcp("127.0.0.1", simulator.Port, new SamsungMdcOptions { Port = FastPort });

        var result = await display.SelectInputAsync("SCART9", CancellationToken.None).WaitAsync(Bound);

        Assert.Equal(DeviceResultStatus.Unsupported, result.Status);
    }

    [Fact]
    public async Task GarbageAndNoReply_AreSurvived()
    {
        await using var simulator = new SamsungMdcSimulator();
        await simulator.StartOnTcpAsync(CancellationToken.None).WaitAsync(Bound);
        await using var display = SamsungMdcDisplay.CreateTcp("127.0.0.1", simulator.Port, new SamsungMdcOptions { Port = ShortTimer });
        simulator.GarbageBytes = new byte[] { 0xAA, 0x00, 0x00, 0xFF, 0x42 };
        simulator.EnqueueFault(SimulatorFault.Garbage);
        simulator.EnqueueFault(SimulatorFault.NoReply);

        var first = await display.SetPowerAsync(true, CancellationToken.None).WaitAsync(Bound);
        var second = await display.SetVolumeAsync(10, CancellationToken.None).WaitAsync(Bound);

        Assert.True(first.IsSuccess, first.ToString());
        Assert.True(second.IsSuccess, second.ToString());
        Assert.Equal(2, second.Attempts);
    }

    [Fact]
    public async Task ServerClosesConnection_DriverReconnectsAndCommandSucceeds()
    {
        await using var simulator = new SamsungMdcSimulator();
        await simulator.StartOnTcpAsync(CancellationToken.None).WaitAsync(Bound);
        await using var display = SamsungMdcDisplay.CreateTcp("127.0.0.1", simulator.Port, new SamsungMdcOptions { Port = FastPort });
        await display.StartAsync(CancellationToken.None);
        await display.Port.WaitConnectedAsync(Bound, CancellationToken.None);
        await WaitUntilAsync(() => simulator.ConnectionCount == 1, "the simulator to accept the first connection");

        await simulator.UnplugAsync().WaitAsync(Bound);
        await WaitUntilAsync(() => !display.Port.IsConnected, "the driver to notice the close");
        await simulator.ReplugAsync(CancellationToken.None).WaitAsync(Bound);
        var result = await display.SetPowerAsync(true, CancellationToken.None).WaitAsync(Bound);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(2, simulator.ConnectionCount);
    }

    [Fact]
    public async Task UnplugFault_MidCommand_FailsDisconnected_ThenWorksAfterReplugAtSamePath()
    {
        await using var simulator = new SamsungMdcSimulator();
        string path = Path.Combine(Path.GetTempPath(), $"videolink-mdc-{Guid.NewGuid():N}");
        await simulator.StartOnPtyAsync(path, CancellationToken.None).WaitAsync(Bound);
        await using var display = SamsungMdcDisplay.CreateSerial(
            new SerialPortSettings { Path = path },
            new SamsungMdcOptions { Port = new DevicePortOptions { ReplyTimeout = TimeSpan.FromMilliseconds(300), MaxAttempts = 2, ReconnectInitialDelay = TimeSpan.FromMilliseconds(50) } });
        simulator.EnqueueFault(SimulatorFault.Unplug);

        var duringUnplug = await display.SetPowerAsync(true, CancellationToken.None).WaitAsync(Bound);
        Assert.NotEqual(DeviceResultStatus.Success, duringUnplug.Status);
        await WaitUntilAsync(() => display.Health == DeviceHealth.Failed, "the unplug to be seen");

        await simulator.ReplugAsync(CancellationToken.None).WaitAsync(Bound);
        await display.Port.WaitConnectedAsync(Bound, CancellationToken.None);
        var afterReplug = await display.SetPowerAsync(true, CancellationToken.None).WaitAsync(Bound);

        Assert.True(afterReplug.IsSuccess, afterReplug.ToString());
        Assert.True(simulator.PowerOn);
        Assert.Equal("AA 11 01 01 01 14", ToHex(simulator.ReceivedFrames[^1]));
    }
}
