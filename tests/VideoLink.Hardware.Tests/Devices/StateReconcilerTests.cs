using VideoLink.Hardware.Devices;
using VideoLink.Hardware.Queue;
using VideoLink.Hardware.SamsungMdc;
using VideoLink.Hardware.Serial;
using VideoLink.Hardware.Simulators.Hosting;
using VideoLink.Hardware.Simulators.SamsungMdc;
using static VideoLink.Hardware.Tests.TestSupport;

namespace VideoLink.Hardware.Tests.Devices;

public sealed class StateReconcilerTests
{
    [Fact]
    public async Task PanelIgnoresFirstPowerOn_ReconcilerResendsUntilReportedOn()
    {
        await using var simulator = new SamsungMdcSimulator();
        await simulator.StartOnPtyAsync(CancellationToken.None).WaitAsync(Bound);
        await using var display = SamsungMdcDisplay.CreateSerial(new SerialPortSettings { Path = simulator.DevicePath! }, new SamsungMdcOptions());
        await using var power = StateReconciler<PowerState>.ForPower(display.SetPowerAsync, display.QueryPowerAsync);
        simulator.EnqueueFault(SimulatorFault.None);           // the first query
        simulator.EnqueueFault(SimulatorFault.IgnoreCommand);  // the first power-on: ACKed, not done (panel booting)

        power.Request(PowerState.On);
        Assert.False(await power.ReconcileOnceAsync(CancellationToken.None).WaitAsync(Bound));
        Assert.Equal(PowerState.Off, power.Reported);
        Assert.True(await power.ReconcileOnceAsync(CancellationToken.None).WaitAsync(Bound));

        Assert.True(simulator.PowerOn);
        Assert.Equal(PowerState.On, power.Reported);
        Assert.Equal(2, simulator.ReceivedFrames.Count(f => ToHex(f) == "AA 11 01 01 01 14"));
    }

    [Fact]
    public async Task BackgroundLoop_BringsBackAPanelSwitchedOffByHand()
    {
        await using var simulator = new SamsungMdcSimulator { PowerOn = true };
        await simulator.StartOnTcpAsync(CancellationToken.None).WaitAsync(Bound);
        await using var display = SamsungMdcDisplay.CreateTcp("127.0.0.1", simulator.Port, new SamsungMdcOptions());
        await using var power = StateReconciler<PowerState>.ForPower(display.SetPowerAsync, display.QueryPowerAsync, new ReconcilerOptions { PollInterval = TimeSpan.FromMilliseconds(50) });
        power.Request(PowerState.On);
        power.Start();
        await WaitUntilAsync(() => power.InSync && power.Reported == PowerState.On, "the first sync");

        simulator.PowerOn = false; // someone pressed the remote

        await WaitUntilAsync(() => simulator.PowerOn, "the reconciler to switch it back on");
    }

    [Fact]
    public async Task DeviceThatNeverObeys_IsGivenUpAfterBudget()
    {
        int applied = 0;
        await using var reconciler = new StateReconciler<PowerState>(
            _ => Task.FromResult<PowerState?>(PowerState.Off),
            (_, _) => { Interlocked.Increment(ref applied); return Task.FromResult(DeviceResult.Done()); },
            new ReconcilerOptions { MaxApplyAttempts = 3 });
        reconciler.Request(PowerState.On);

        for (int i = 0; i < 5; i++)
        {
            await reconciler.ReconcileOnceAsync(CancellationToken.None).WaitAsync(Bound);
        }

        Assert.Equal(3, applied);
        Assert.True(reconciler.GaveUp);
    }

    [Fact]
    public async Task WarmingUpProjector_IsNotSentPowerOnAgain()
    {
        int applied = 0;
        await using var reconciler = StateReconciler<PowerState>.ForPower(
            (_, _) => { Interlocked.Increment(ref applied); return Task.FromResult(DeviceResult.Done()); },
            _ => Task.FromResult(new PowerQueryResult(DeviceResult.Done(), PowerState.WarmingUp)));
        reconciler.Request(PowerState.On);

        await reconciler.ReconcileOnceAsync(CancellationToken.None).WaitAsync(Bound);

        Assert.Equal(0, applied);
        Assert.False(reconciler.InSync);
    }
}
