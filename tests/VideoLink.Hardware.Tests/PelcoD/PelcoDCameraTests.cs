using VideoLink.Hardware.Devices;
using VideoLink.Hardware.PelcoD;
using VideoLink.Hardware.Queue;
using VideoLink.Hardware.Serial;
using VideoLink.Hardware.Simulators.PelcoD;
using static VideoLink.Hardware.Tests.TestSupport;

namespace VideoLink.Hardware.Tests.PelcoD;

public sealed class PelcoDCameraTests : IAsyncLifetime
{
    private readonly PelcoDCameraSimulator _simulator = new();
    private PelcoDCamera _camera = null!;

    public async Task InitializeAsync()
    {
        await _simulator.StartOnPtyAsync(CancellationToken.None).WaitAsync(Bound);
        _camera = PelcoDCamera.CreateSerial(new SerialPortSettings { Path = _simulator.DevicePath!, BaudRate = 2400 }, new PelcoDCameraOptions());
        await _camera.StartAsync(CancellationToken.None).WaitAsync(Bound);
        await _camera.Port.WaitConnectedAsync(Bound, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _camera.DisposeAsync().AsTask().WaitAsync(Bound);
        await _simulator.DisposeAsync().AsTask().WaitAsync(Bound);
    }

    [Fact]
    public async Task RecallAndSetPreset_OverSerial_SendDocumentedBytes()
    {
        Assert.True((await _camera.SetPresetAsync(1, CancellationToken.None).WaitAsync(Bound)).IsSuccess);
        Assert.True((await _camera.RecallPresetAsync(1, CancellationToken.None).WaitAsync(Bound)).IsSuccess);

        Assert.True(await _simulator.WaitForFramesAsync(2, Bound));
        Assert.Equal("FF 01 00 03 00 01 05 FF 01 00 07 00 01 09", ToHex(_simulator.ReceivedBytes));
        Assert.Equal(1, _simulator.LastRecalledPreset);
    }

    [Fact]
    public async Task UpThenStop_SendDocumentedBytes()
    {
        Assert.True((await _camera.PanTiltAsync(PanTiltDirection.Up, 51, CancellationToken.None).WaitAsync(Bound)).IsSuccess);
        Assert.True((await _camera.StopAsync(CancellationToken.None).WaitAsync(Bound)).IsSuccess);

        Assert.True(await _simulator.WaitForFramesAsync(2, Bound));
        // 51 % of 3F = 20h: the manual's "up" example.
        Assert.Equal("FF 01 00 08 00 20 29 FF 01 00 00 00 00 01", ToHex(_simulator.ReceivedBytes));
        Assert.Equal(0, _simulator.MotionBits);
    }

    [Fact]
    public async Task PowerQuery_IsUnsupported()
    {
        var query = await _camera.QueryPowerAsync(CancellationToken.None).WaitAsync(Bound);
        Assert.Equal(DeviceResultStatus.Unsupported, query.Result.Status);
    }
}
