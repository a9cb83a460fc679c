using VideoLink.Hardware.Devices;
using VideoLink.Hardware.Nec;
using VideoLink.Hardware.Queue;
using VideoLink.Hardware.Serial;
using VideoLink.Hardware.Simulators.Hosting;
using VideoLink.Hardware.Simulators.Nec;
using static VideoLink.Hardware.Tests.TestSupport;

namespace VideoLink.Hardware.Tests.Nec;

public sealed class NecDisplayTests
{
    private static readonly NecDisplayOptions Options = new() { Port = new DevicePortOptions { ReplyTimeout = TimeSpan.FromSeconds(3) } };

    [Fact]
    public async Task PowerOn_OverSerial_SendsExactNecPacket()
    {
        await using var simulator = new NecDisplaySimulator();
        await simulator.StartOnPtyAsync(CancellationToken.None).WaitAsync(Bound);
        await using var display = NecDisplay.CreateSerial(new SerialPortSettings { Path = simulator.DevicePath! }, Options);

        var result = await display.SetPowerAsync(true, CancellationToken.None).WaitAsync(Bound);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal("01 30 41 30 41 30 43 02 43 32 30 33 44 36 30 30 30 31 03 73 0D", ToHex(simulator.ReceivedBytes));
        Assert.True(simulator.PowerOn);
    }

    [Fact]
    public async Task InputVolumeMuteAndPowerQuery_OverTcp_Work()
    {
        await using var simulator = new NecDisplaySimulator();
        await simulator.StartOnTcpAsync(CancellationToken.None).WaitAsync(Bound);
        await using var display = NecDisplay.CreateTcp("127.0.0.1", simulator.Port, Options);
        var ct = CancellationToken.None;

        Assert.True((await display.SelectInputAsync("HDMI1", ct).WaitAsync(Bound)).IsSuccess);
        Assert.True((await display.SetVolumeAsync(40, ct).WaitAsync(Bound)).IsSuccess);
        Assert.True((await display.SetMuteAsync(true, ct).WaitAsync(Bound)).IsSuccess);
        var query = await display.QueryPowerAsync(ct).WaitAsync(Bound);

        Assert.Equal(PowerState.Off, query.State);
        Assert.Equal(0x11, simulator.Parameters[0x60]);
        Assert.Equal(40, simulator.Parameters[0x62]);
        Assert.Equal(1, simulator.Parameters[0x8D]);
    }

    [Fact]
    public async Task ErrorResult_IsFatal()
    {
        await using var simulator = new NecDisplaySimulator();
        await simulator.StartOnTcpAsync(CancellationToken.None).WaitAsync(Bound);
        await using var display = NecDisplay.CreateTcp("127.0.0.1", simulator.Port, Options);
        simulator.EnqueueFault(SimulatorFault.NotExecutable);

        var result = await display.SetVolumeAsync(10, CancellationToken.None).WaitAsync(Bound);

        Assert.Equal(DeviceResultStatus.Rejected, result.Status);
    }
}
