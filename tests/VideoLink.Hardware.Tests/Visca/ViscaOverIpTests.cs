using VideoLink.Hardware.Queue;
using VideoLink.Hardware.Simulators.Hosting;
using VideoLink.Hardware.Simulators.Visca;
using VideoLink.Hardware.Visca;
using static VideoLink.Hardware.Tests.TestSupport;

namespace VideoLink.Hardware.Tests.Visca;

public sealed class ViscaOverIpTests
{
    private static readonly DevicePortOptions FastPort = new() { ReplyTimeout = TimeSpan.FromSeconds(3) };
    private static readonly DevicePortOptions ShortTimer = new() { ReplyTimeout = TimeSpan.FromMilliseconds(500) };

    [Fact]
    public async Task RecallPreset_OverIp_ResetsSequenceThenSendsHeaderedCommand()
    {
        await using var simulator = new ViscaCameraSimulator(ViscaLink.Ip);
        await simulator.StartOnUdpAsync(CancellationToken.None).WaitAsync(Bound);
        await using var camera = ViscaCamera.CreateIp("127.0.0.1", simulator.Port, new ViscaCameraOptions { Port = FastPort });

        var result = await camera.RecallPresetAsync(3, CancellationToken.None).WaitAsync(Bound);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(
            "02 00 00 01 00 00 00 00 01 " + "01 00 00 07 00 00 00 01 81 01 04 3F 02 03 FF",
            ToHex(simulator.ReceivedBytes));
        Assert.Equal(1, simulator.SequenceResets);
    }

    [Fact]
    public async Task Timeout_OverIp_ResendsWithSameSequenceNumber()
    {
        await using var simulator = new ViscaCameraSimulator(ViscaLink.Ip);
        await simulator.StartOnUdpAsync(CancellationToken.None).WaitAsync(Bound);
        await using var camera = ViscaCamera.CreateIp("127.0.0.1", simulator.Port, new ViscaCameraOptions { Port = ShortTimer });
        await camera.HomeAsync(CancellationToken.None).WaitAsync(Bound);

        simulator.EnqueueFault(SimulatorFault.NoReply);
        var result = await camera.RecallPresetAsync(9, CancellationToken.None).WaitAsync(Bound);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(2, result.Attempts);
        Assert.Equal([0u, 1u, 2u, 2u], simulator.ReceivedSequences);
    }

    [Fact]
    public async Task Inquiry_OverIp_ReadsPowerState()
    {
        await using var simulator = new ViscaCameraSimulator(ViscaLink.Ip) { PowerOn = false };
        await simulator.StartOnUdpAsync(CancellationToken.None).WaitAsync(Bound);
        await using var camera = ViscaCamera.CreateIp("127.0.0.1", simulator.Port, new ViscaCameraOptions { Port = FastPort });

        var query = await camera.QueryPowerAsync(CancellationToken.None).WaitAsync(Bound);

        Assert.Equal(VideoLink.Hardware.Devices.PowerState.Off, query.State);
        Assert.Equal("01 10 00 05 00 00 00 01 81 09 04 00 FF", ToHex(simulator.ReceivedFrames[^1]));
    }

    [Fact]
    public async Task RecallPreset_OverRawTcp_SendsPlainVisca()
    {
        await using var simulator = new ViscaCameraSimulator(ViscaLink.Tcp);
        await simulator.StartOnTcpAsync(CancellationToken.None).WaitAsync(Bound);
        await using var camera = ViscaCamera.CreateTcp("127.0.0.1", simulator.Port, new ViscaCameraOptions { Port = FastPort });

        var result = await camera.RecallPresetAsync(12, CancellationToken.None).WaitAsync(Bound);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal("81 01 04 3F 02 0C FF", ToHex(simulator.ReceivedBytes));
    }

    [Fact]
    public async Task SequenceAbnormalAfterCameraRestart_ResetsSequenceAndResends()
    {
        await using var simulator = new ViscaCameraSimulator(ViscaLink.Ip) { StrictSequence = true };
        await simulator.StartOnUdpAsync(CancellationToken.None).WaitAsync(Bound);
        var options = new ViscaCameraOptions { Port = new DevicePortOptions { ReplyTimeout = TimeSpan.FromSeconds(3), ReconnectInitialDelay = TimeSpan.FromMilliseconds(50) } };
        await using var camera = ViscaCamera.CreateIp("127.0.0.1", simulator.Port, options);
        Assert.True((await camera.HomeAsync(CancellationToken.None).WaitAsync(Bound)).IsSuccess);
        Assert.True((await camera.HomeAsync(CancellationToken.None).WaitAsync(Bound)).IsSuccess);

        simulator.SimulateRestart(); // now expects 1, the driver is at 3
        var result = await camera.RecallPresetAsync(5, CancellationToken.None).WaitAsync(Bound);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(5, simulator.LastRecalledPreset);
        Assert.Equal(2, simulator.SequenceResets);
        Assert.Equal([0u, 1u, 2u, 3u, 0u, 1u], simulator.ReceivedSequences);
    }
}
