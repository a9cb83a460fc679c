using VideoLink.Hardware.Lcus;
using VideoLink.Hardware.Serial;
using VideoLink.Hardware.Simulators.Lcus;
using static VideoLink.Hardware.Tests.TestSupport;

namespace VideoLink.Hardware.Tests.Lcus;

public sealed class LcusRelayTests
{
    [Fact]
    public async Task OnThenOff_OverSerial_SendsDocumentedBytes()
    {
        await using var simulator = new LcusRelaySimulator();
        await simulator.StartOnPtyAsync(CancellationToken.None).WaitAsync(Bound);
        await using var relay = LcusRelay.CreateSerial(new SerialPortSettings { Path = simulator.DevicePath! }, channel: 1);

        Assert.True((await relay.SetAsync(true, CancellationToken.None).WaitAsync(Bound)).IsSuccess);
        await WaitUntilAsync(() => simulator.IsOn(1), "relay 1 on");
        Assert.True((await relay.SetAsync(false, CancellationToken.None).WaitAsync(Bound)).IsSuccess);
        await WaitUntilAsync(() => !simulator.IsOn(1), "relay 1 off");

        Assert.Equal("A0 01 01 A2 A0 01 00 A1", ToHex(simulator.ReceivedBytes));
        Assert.False(relay.RequestedState);
    }

    [Fact]
    public void ChannelOutOfRange_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LcusRelay.CreateSerial(new SerialPortSettings { Path = "/dev/null" }, channel: 9));
    }
}
