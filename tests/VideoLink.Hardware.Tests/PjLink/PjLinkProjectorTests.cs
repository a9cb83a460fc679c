using VideoLink.Hardware.Devices;
using VideoLink.Hardware.PjLink;
using VideoLink.Hardware.Queue;
using VideoLink.Hardware.Simulators.Hosting;
using VideoLink.Hardware.Simulators.PjLink;
using static VideoLink.Hardware.Tests.TestSupport;

namespace VideoLink.Hardware.Tests.PjLink;

public sealed class PjLinkProjectorTests
{
    private static PjLinkOptions Options(string? password = null) => new()
    {
        Password = password,
        Port = new DevicePortOptions { Mode = ConnectionMode.PerBurst, ReplyTimeout = TimeSpan.FromSeconds(3), IdleCloseAfter = TimeSpan.FromSeconds(30) },
    };

    [Fact]
    public void Digest_MatchesSpecificationExample()
    {
        // PJLink spec 1.04 §5.1 example: random 498e4a67, password JBMIAProjectorLink.
        Assert.Equal("5d8409bc1c3fa39749434aa3a5c38682", PjLinkProjector.Digest("498e4a67", "JBMIAProjectorLink"));
    }

    [Fact]
    public async Task PowerOn_WithoutAuth_SendsPlainCommand()
    {
        await using var simulator = new PjLinkSimulator();
        await simulator.StartOnTcpAsync(CancellationToken.None).WaitAsync(Bound);
        await using var projector = PjLinkProjector.Create("127.0.0.1", simulator.Port, Options());

        var result = await projector.SetPowerAsync(true, CancellationToken.None).WaitAsync(Bound);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal("%1POWR 1\r", System.Text.Encoding.ASCII.GetString(simulator.ReceivedBytes));
        Assert.Equal(1, simulator.Power);
    }

    [Fact]
    public async Task PowerOn_WithAuth_PrefixesFirstCommandWithMd5Digest()
    {
        await using var simulator = new PjLinkSimulator("JBMIAProjectorLink");
        await simulator.StartOnTcpAsync(CancellationToken.None).WaitAsync(Bound);
        await using var projector = PjLinkProjector.Create("127.0.0.1", simulator.Port, Options("JBMIAProjectorLink"));

        var on = await projector.SetPowerAsync(true, CancellationToken.None).WaitAsync(Bound);
        var input = await projector.SelectInputAsync("HDMI1", CancellationToken.None).WaitAsync(Bound);
        var query = await projector.QueryPowerAsync(CancellationToken.None).WaitAsync(Bound);

        Assert.True(on.IsSuccess, on.ToString());
        Assert.True(input.IsSuccess, input.ToString());
        Assert.Equal(PowerState.On, query.State);
        Assert.Equal(
            "5d8409bc1c3fa39749434aa3a5c38682%1POWR 1\r%1INPT 31\r%1POWR ?\r",
            System.Text.Encoding.ASCII.GetString(simulator.ReceivedBytes));
    }

    [Fact]
    public async Task WrongPassword_IsFatalAuthFailure()
    {
        await using var simulator = new PjLinkSimulator("right");
        await simulator.StartOnTcpAsync(CancellationToken.None).WaitAsync(Bound);
        await using var projector = PjLinkProjector.Create("127.0.0.1", simulator.Port, Options("wrong"));

        var result = await projector.SetPowerAsync(true, CancellationToken.None).WaitAsync(Bound);

        Assert.Equal(DeviceResultStatus.Rejected, result.Status);
        Assert.Contains("ERRA", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, simulator.Power);
    }

    [Fact]
    public async Task Err3_IsRetried_ThenSucceeds()
    {
        await using var simulator = new PjLinkSimulator();
        await simulator.StartOnTcpAsync(CancellationToken.None).WaitAsync(Bound);
        await using var projector = PjLinkProjector.Create("127.0.0.1", simulator.Port, Options());
        simulator.EnqueueFault(SimulatorFault.BufferFull);

        var result = await projector.SetPowerAsync(true, CancellationToken.None).WaitAsync(Bound);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(2, simulator.ReceivedFrames.Count);
    }

    [Fact]
    public async Task Err2_IsFatal()
    {
        await using var simulator = new PjLinkSimulator();
        await simulator.StartOnTcpAsync(CancellationToken.None).WaitAsync(Bound);
        await using var projector = PjLinkProjector.Create("127.0.0.1", simulator.Port, Options());
        simulator.EnqueueFault(SimulatorFault.NotExecutable);

        var result = await projector.SetMuteAsync(true, CancellationToken.None).WaitAsync(Bound);

        Assert.Equal(DeviceResultStatus.Rejected, result.Status);
        Assert.Single(simulator.ReceivedFrames);
    }

    [Fact]
    public async Task ProjectorClosesIdleConnection_NextBurstReconnectsAndAuthenticatesAgain()
    {
        await using var simulator = new PjLinkSimulator("pw");
        await simulator.StartOnTcpAsync(CancellationToken.None).WaitAsync(Bound);
        await using var projector = PjLinkProjector.Create("127.0.0.1", simulator.Port, Options("pw"));
        Assert.True((await projector.SetPowerAsync(true, CancellationToken.None).WaitAsync(Bound)).IsSuccess);

        simulator.DropConnections();
        await WaitUntilAsync(() => !projector.Port.IsConnected, "the driver to see the close");
        var result = await projector.SetPowerAsync(false, CancellationToken.None).WaitAsync(Bound);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(2, simulator.ConnectionCount);
        string digest = PjLinkProjector.Digest(simulator.Random, "pw");
        Assert.Equal($"{digest}%1POWR 1\r{digest}%1POWR 0\r", System.Text.Encoding.ASCII.GetString(simulator.ReceivedBytes));
    }

    [Fact]
    public async Task PerBurstLink_ClosesWhenIdle()
    {
        await using var simulator = new PjLinkSimulator();
        await simulator.StartOnTcpAsync(CancellationToken.None).WaitAsync(Bound);
        var options = Options() with { Port = new DevicePortOptions { Mode = ConnectionMode.PerBurst, IdleCloseAfter = TimeSpan.FromMilliseconds(200) } };
        await using var projector = PjLinkProjector.Create("127.0.0.1", simulator.Port, options);

        Assert.True((await projector.SetPowerAsync(true, CancellationToken.None).WaitAsync(Bound)).IsSuccess);

        await WaitUntilAsync(() => !projector.Port.IsConnected, "the idle close");
    }
}
