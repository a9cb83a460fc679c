using VideoLink.Hardware.Devices;
using VideoLink.Hardware.Queue;
using VideoLink.Hardware.Serial;
using VideoLink.Hardware.Simulators.Hosting;
using VideoLink.Hardware.Simulators.Visca;
using VideoLink.Hardware.Visca;
using static VideoLink.Hardware.Tests.TestSupport;

namespace VideoLink.Hardware.Tests.Visca;

public sealed class ViscaCameraTests : IAsyncLifetime
{
    private static readonly DevicePortOptions FastPort = new()
    {
        ReplyTimeout = TimeSpan.FromSeconds(3),
        ReconnectInitialDelay = TimeSpan.FromMilliseconds(50),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(400),
    };

    private readonly ViscaCameraSimulator _simulator = new();
    private ViscaCamera _camera = null!;

    public async Task InitializeAsync()
    {
        await _simulator.StartOnPtyAsync(CancellationToken.None).WaitAsync(Bound);
        _camera = ViscaCamera.CreateSerial(
            new SerialPortSettings { Path = _simulator.DevicePath!, BaudRate = 9600 },
            new ViscaCameraOptions { Address = 1, Port = FastPort });
        await _camera.StartAsync(CancellationToken.None).WaitAsync(Bound);
        await _camera.Port.WaitConnectedAsync(Bound, CancellationToken.None);
    }

    /// <summary>Swaps the fixture's camera for one with a short reply timer on the same pty.</summary>
    private async Task<ViscaCamera> ReplaceCameraAsync(TimeSpan replyTimeout)
    {
        await _camera.DisposeAsync().AsTask().WaitAsync(Bound);
        _camera = ViscaCamera.CreateSerial(
            new SerialPortSettings { Path = _simulator.DevicePath!, BaudRate = 9600 },
            new ViscaCameraOptions { Port = new DevicePortOptions { ReplyTimeout = replyTimeout, ReconnectInitialDelay = TimeSpan.FromMilliseconds(50), ReconnectMaxDelay = TimeSpan.FromMilliseconds(400) } });
        await _camera.StartAsync(CancellationToken.None).WaitAsync(Bound);
        await _camera.Port.WaitConnectedAsync(Bound, CancellationToken.None);
        return _camera;
    }

    public async Task DisposeAsync()
    {
        await _camera.DisposeAsync().AsTask().WaitAsync(Bound);
        await _simulator.DisposeAsync().AsTask().WaitAsync(Bound);
    }

    [Fact]
    public async Task RecallPreset_OverSerial_SendsExactViscaBytes()
    {
        var result = await _camera.RecallPresetAsync(3, CancellationToken.None).WaitAsync(Bound);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal("81 01 04 3F 02 03 FF", ToHex(_simulator.ReceivedBytes));
        Assert.Equal(3, _simulator.LastRecalledPreset);
    }

    [Fact]
    public async Task PowerOnAndOff_OverSerial_SendsDocumentedBytes()
    {
        Assert.True((await _camera.SetPowerAsync(false, CancellationToken.None).WaitAsync(Bound)).IsSuccess);
        Assert.False(_simulator.PowerOn);
        var query = await _camera.QueryPowerAsync(CancellationToken.None).WaitAsync(Bound);
        Assert.Equal(PowerState.Off, query.State);
        Assert.True((await _camera.SetPowerAsync(true, CancellationToken.None).WaitAsync(Bound)).IsSuccess);

        Assert.Equal(
            ["81 01 04 00 03 FF", "81 09 04 00 FF", "81 01 04 00 02 FF"],
            _simulator.ReceivedFrames.Select(f => ToHex(f)).ToList());
    }

    [Fact]
    public async Task PanTiltZoomHomeAndSetPreset_SendDocumentedBytes()
    {
        var ct = CancellationToken.None;
        Assert.True((await _camera.PanTiltAsync(PanTiltDirection.Up, 100, ct).WaitAsync(Bound)).IsSuccess);
        Assert.True((await _camera.StopAsync(ct).WaitAsync(Bound)).IsSuccess);
        Assert.True((await _camera.ZoomAsync(ZoomDirection.Tele, ct).WaitAsync(Bound)).IsSuccess);
        Assert.True((await _camera.ZoomAsync(ZoomDirection.Stop, ct).WaitAsync(Bound)).IsSuccess);
        Assert.True((await _camera.HomeAsync(ct).WaitAsync(Bound)).IsSuccess);
        Assert.True((await _camera.SetPresetAsync(5, ct).WaitAsync(Bound)).IsSuccess);

        Assert.Equal(
            [
                "81 01 06 01 18 14 03 01 FF",
                "81 01 06 01 18 14 03 03 FF",
                "81 01 04 07 02 FF",
                "81 01 04 07 00 FF",
                "81 01 06 04 FF",
                "81 01 04 3F 01 05 FF",
            ],
            _simulator.ReceivedFrames.Select(f => ToHex(f)).ToList());
        Assert.Contains(5, _simulator.StoredPresets);
    }

    [Fact]
    public async Task BufferFull_IsRetriedAfterPause_AndSucceeds()
    {
        _simulator.EnqueueFault(SimulatorFault.BufferFull);

        var result = await _camera.RecallPresetAsync(2, CancellationToken.None).WaitAsync(Bound);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(2, _simulator.ReceivedFrames.Count);
        Assert.All(_simulator.ReceivedFrames, f => Assert.Equal("81 01 04 3F 02 02 FF", ToHex(f)));
    }

    [Fact]
    public async Task NotExecutable_IsFatal_AndNotRetried()
    {
        _simulator.EnqueueFault(SimulatorFault.NotExecutable);

        var result = await _camera.HomeAsync(CancellationToken.None).WaitAsync(Bound);

        Assert.Equal(DeviceResultStatus.Rejected, result.Status);
        Assert.Contains("not executable", result.Error, StringComparison.Ordinal);
        Assert.Single(_simulator.ReceivedFrames);
    }

    [Fact]
    public async Task StrayCompletionOnEmptySocket_DoesNotCompleteTheCommandEarly()
    {
        _simulator.EnqueueFault(SimulatorFault.StrayCompletion);
        var unsolicited = new List<string>();
        _camera.Port.UnsolicitedFrame += (_, e) => { lock (unsolicited) { unsolicited.Add(ToHex(e.Frame.Span)); } };

        var result = await _camera.RecallPresetAsync(4, CancellationToken.None).WaitAsync(Bound);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal("90 51 FF", ToHex(result.Reply.Span));
        lock (unsolicited)
        {
            Assert.Contains("90 52 FF", unsolicited);
        }
    }

    [Fact]
    public async Task SlowCompletion_AckRestartsTimer_AndSucceeds()
    {
        // ACK at once, completion 300 ms later: the command waits for it instead of resending.
        _simulator.SlowCompletionDelay = TimeSpan.FromMilliseconds(300);
        _simulator.EnqueueFault(SimulatorFault.SlowCompletion);

        var result = await _camera.RecallPresetAsync(1, CancellationToken.None).WaitAsync(Bound);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Single(_simulator.ReceivedFrames);
    }

    [Fact]
    public async Task GarbageBeforeReply_IsSkipped()
    {
        _simulator.EnqueueFault(SimulatorFault.Garbage);

        var result = await _camera.RecallPresetAsync(6, CancellationToken.None).WaitAsync(Bound);

        Assert.True(result.IsSuccess, result.ToString());
    }

    [Fact]
    public async Task NoReply_TimesOutAfterEveryAttempt_ThenFails()
    {
        var camera = await ReplaceCameraAsync(TimeSpan.FromMilliseconds(150));
        _simulator.Silent = true;

        var result = await camera.HomeAsync(CancellationToken.None).WaitAsync(Bound);

        Assert.Equal(DeviceResultStatus.TimedOut, result.Status);
        Assert.Equal(DevicePortOptions.DefaultMaxAttempts, result.Attempts);
        Assert.True(await _simulator.WaitForFramesAsync(DevicePortOptions.DefaultMaxAttempts, Bound));
        Assert.Equal(DevicePortOptions.DefaultMaxAttempts, _simulator.ReceivedFrames.Count);
        Assert.All(_simulator.ReceivedFrames, f => Assert.Equal("81 01 06 04 FF", ToHex(f)));
    }

    [Fact]
    public async Task RepeatedTimeouts_MarkWarningThenFailed_AndRecoveryMarksOk()
    {
        var camera = await ReplaceCameraAsync(TimeSpan.FromMilliseconds(100));
        _simulator.Silent = true;
        var ct = CancellationToken.None;
        var seen = new List<DeviceHealth>();
        camera.HealthChanged += (_, e) => { lock (seen) { seen.Add(e.Health); } };
        for (int i = 0; i < 4; i++)
        {
            await camera.HomeAsync(ct).WaitAsync(Bound);
        }

        Assert.Equal(DeviceHealth.Failed, camera.Health); // 12 consecutive timeouts ≥ 10
        _simulator.Silent = false;
        Assert.True((await camera.HomeAsync(ct).WaitAsync(Bound)).IsSuccess);
        Assert.Equal(DeviceHealth.Ok, camera.Health);
        lock (seen)
        {
            Assert.Equal([DeviceHealth.Warning, DeviceHealth.Failed, DeviceHealth.Ok], seen);
        }
    }

    [Fact]
    public async Task NetworkChangeReply_TriggersAddressSetAndIfClear()
    {
        await _simulator.SendNetworkChangeAsync(CancellationToken.None).WaitAsync(Bound);

        await WaitUntilAsync(() => _simulator.ReceivedFrames.Count >= 2, "address set and IF_Clear");
        Assert.Equal(["88 30 01 FF", "88 01 00 01 FF"], _simulator.ReceivedFrames.Select(f => ToHex(f)).ToList());
        Assert.Equal(1, _simulator.AddressSets);
    }

    [Fact]
    public async Task Unplug_FailsRequests_ThenReconnectsWithBackoffAndWorks()
    {
        var camera = await ReplaceCameraAsync(TimeSpan.FromMilliseconds(300));
        await _simulator.UnplugAsync().WaitAsync(Bound);
        await WaitUntilAsync(() => camera.Health == DeviceHealth.Failed, "the driver to notice the unplug");

        var whileUnplugged = await camera.HomeAsync(CancellationToken.None).WaitAsync(Bound);
        Assert.Equal(DeviceResultStatus.Disconnected, whileUnplugged.Status);

        await _simulator.ReplugAsync(CancellationToken.None).WaitAsync(Bound);
        await camera.Port.WaitConnectedAsync(Bound, CancellationToken.None);
        var afterReplug = await camera.RecallPresetAsync(7, CancellationToken.None).WaitAsync(Bound);

        Assert.True(afterReplug.IsSuccess, afterReplug.ToString());
        Assert.Equal(7, _simulator.LastRecalledPreset);
    }

    [Fact]
    public async Task PresetOutsideModelRange_IsUnsupported_AndNothingIsSent()
    {
        var result = await _camera.RecallPresetAsync(300, CancellationToken.None).WaitAsync(Bound);

        Assert.Equal(DeviceResultStatus.Unsupported, result.Status);
        Assert.Empty(_simulator.ReceivedBytes);
    }
}
