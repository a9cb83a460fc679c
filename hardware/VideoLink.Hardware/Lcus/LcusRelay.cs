using Microsoft.Extensions.Logging;
using VideoLink.Hardware.Devices;
using VideoLink.Hardware.Queue;
using VideoLink.Hardware.Serial;

namespace VideoLink.Hardware.Lcus;

/// <summary>
/// One channel of an LCUS (CH340) USB relay board, 9600 8N1: <c>A0 ch 01 sum</c> closes the relay,
/// <c>A0 ch 00 sum</c> opens it. The board does not answer, so success means "written".
/// </summary>
public sealed class LcusRelay : PortDevice, IRelay
{
    private readonly byte _channel;

    private LcusRelay(DevicePort port, int channel)
        : base(port)
    {
        _channel = (byte)channel;
    }

    /// <summary>The last state written, null before the first command.</summary>
    public bool? RequestedState { get; private set; }

    /// <summary>Relay <paramref name="channel"/> (1–8) on a serial port.</summary>
    public static LcusRelay CreateSerial(SerialPortSettings serial, int channel, DevicePortOptions? portOptions = null, ILogger? logger = null)
    {
        if (channel is < 1 or > 8)
        {
            throw new ArgumentOutOfRangeException(nameof(channel), channel, "LCUS boards have channels 1–8.");
        }

        return new LcusRelay(new DevicePort(new SerialPortTransport(serial), LcusFramer.Instance, portOptions, logger), channel);
    }

    /// <inheritdoc />
    public async Task<DeviceResult> SetAsync(bool on, CancellationToken cancellationToken)
    {
        var result = await SendAsync(on ? $"Relay{_channel}On" : $"Relay{_channel}Off", LcusFramer.Build(_channel, on), RequestPriority.Normal, classify: null, cancellationToken).ConfigureAwait(false);
        if (result.IsSuccess)
        {
            RequestedState = on;
        }

        return result;
    }
}
