using System.Text;
using VideoLink.Hardware.Devices;
using VideoLink.Hardware.Lg;
using VideoLink.Hardware.Queue;
using VideoLink.Hardware.Serial;
using VideoLink.Hardware.Simulators.Hosting;
using VideoLink.Hardware.Simulators.Lg;
using static VideoLink.Hardware.Tests.TestSupport;

namespace VideoLink.Hardware.Tests.Lg;

public sealed class LgDisplayTests
{
    private static readonly LgDisplayOptions Options = new() { Port = new DevicePortOptions { ReplyTimeout = TimeSpan.FromSeconds(3) } };

    [Fact]
    public async Task PowerOnInputAndQuery_OverSerial_SendDocumentedAscii()
    {
        await using var simulator = new LgDisplaySimulator();
        await simulator.StartOnPtyAsync(CancellationToken.None).WaitAsync(Bound);
        await using var display = LgDisplay.CreateSerial(new SerialPortSettings { Path = simulator.DevicePath! }, Options);
        var ct = CancellationToken.None;

        Assert.True((await display.SetPowerAsync(true, ct).WaitAsync(Bound)).IsSuccess);
        Assert.True((await display.SelectInputAsync("HDMI1", ct).WaitAsync(Bound)).IsSuccess);
        Assert.True((await display.SetMuteAsync(true, ct).WaitAsync(Bound)).IsSuccess);
        var query = await display.QueryPowerAsync(ct).WaitAsync(Bound);

        Assert.Equal(PowerState.On, query.State);
        Assert.Equal("ka 01 01\rxb 01 90\rke 01 00\rka 01 ff\r", Encoding.ASCII.GetString(simulator.ReceivedBytes));
        Assert.Equal("00", simulator.Value("ke"));
    }

    [Fact]
    public async Task ScreenOffMode_UsesKdForPower()
    {
        await using var simulator = new LgDisplaySimulator();
        await simulator.StartOnPtyAsync(CancellationToken.None).WaitAsync(Bound);
        await using var display = LgDisplay.CreateSerial(new SerialPortSettings { Path = simulator.DevicePath! }, Options with { PowerViaScreenOff = true });

        Assert.True((await display.SetPowerAsync(false, CancellationToken.None).WaitAsync(Bound)).IsSuccess);

        Assert.Equal("kd 01 01\r", Encoding.ASCII.GetString(simulator.ReceivedBytes));
    }

    [Fact]
    public async Task Ng_IsFatal()
    {
        await using var simulator = new LgDisplaySimulator();
        await simulator.StartOnPtyAsync(CancellationToken.None).WaitAsync(Bound);
        await using var display = LgDisplay.CreateSerial(new SerialPortSettings { Path = simulator.DevicePath! }, Options);
        simulator.EnqueueFault(SimulatorFault.NotExecutable);

        var result = await display.SetVolumeAsync(20, CancellationToken.None).WaitAsync(Bound);

        Assert.Equal(DeviceResultStatus.Rejected, result.Status);
        Assert.Equal("kf 01 14\r", Encoding.ASCII.GetString(simulator.ReceivedBytes));
    }
}
