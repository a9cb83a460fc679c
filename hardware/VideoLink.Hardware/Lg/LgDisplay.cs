using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using VideoLink.Hardware.Devices;
using VideoLink.Hardware.Framing;
using VideoLink.Hardware.Models;
using VideoLink.Hardware.Queue;
using VideoLink.Hardware.Serial;

namespace VideoLink.Hardware.Lg;

/// <summary>LG display settings.</summary>
public sealed record LgDisplayOptions
{
    /// <summary>Set ID 1–99 (0 = all, no reply).</summary>
    public int SetId { get; init; } = 1;

    /// <summary>Model id in <c>models.json</c>.</summary>
    public string? Model { get; init; }

    /// <summary>
    /// Use screen off/on (<c>kd</c>) for power: many LG panels stop answering RS-232C when truly off,
    /// so "off" via <c>ka 00</c> can only be undone by Wake-on-LAN.
    /// </summary>
    public bool PowerViaScreenOff { get; init; }

    /// <summary>Queue policy.</summary>
    public DevicePortOptions Port { get; init; } = new();
}

/// <summary>
/// An LG display over RS-232C (LG owner's manual, "External control device setup"): commands
/// <c>[k][a] [set id] [data]\r</c>, replies <c>a 01 OK01x</c> or <c>a 01 NG00x</c>.
/// Power <c>ka</c>, screen off <c>kd</c>, volume <c>kf</c>, mute <c>ke</c> (00 = muted), input <c>xb</c>.
/// </summary>
public sealed class LgDisplay : PortDevice, IDisplay
{
    private readonly int _setId;
    private readonly bool _screenOff;
    private readonly DisplayModel _model;

    private LgDisplay(DevicePort port, LgDisplayOptions options)
        : base(port)
    {
        _setId = options.SetId;
        _screenOff = options.PowerViaScreenOff;
        _model = DeviceModels.Default.Display(options.Model, "lg");
    }

    /// <summary>Display on a serial port (9600 8N1).</summary>
    public static LgDisplay CreateSerial(SerialPortSettings serial, LgDisplayOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new LgDisplay(new DevicePort(new SerialPortTransport(serial), TerminatedFramer.LgReply, options.Port, logger), options);
    }

    /// <inheritdoc />
    public Task<DeviceResult> SetPowerAsync(bool on, CancellationToken cancellationToken) =>
        _screenOff
            ? CommandAsync('k', 'd', on ? "00" : "01", on ? RequestPriority.Normal : RequestPriority.High, cancellationToken)
            : CommandAsync('k', 'a', on ? "01" : "00", on ? RequestPriority.Normal : RequestPriority.High, cancellationToken);

    /// <inheritdoc />
    public Task<DeviceResult> SelectInputAsync(string input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        return _model.TryGetInput(input, out string code)
            ? CommandAsync('x', 'b', code, RequestPriority.Normal, cancellationToken)
            : Task.FromResult(DeviceResult.Unsupported($"input '{input}' is not in the LG input table"));
    }

    /// <inheritdoc />
    public Task<DeviceResult> SetVolumeAsync(int volume, CancellationToken cancellationToken) =>
        volume is < 0 or > 100
            ? Task.FromResult(DeviceResult.Unsupported($"volume {volume} is outside 0–100"))
            : CommandAsync('k', 'f', volume.ToString("X2", CultureInfo.InvariantCulture), RequestPriority.Normal, cancellationToken);

    /// <inheritdoc />
    public Task<DeviceResult> SetMuteAsync(bool muted, CancellationToken cancellationToken) =>
        CommandAsync('k', 'e', muted ? "00" : "01", RequestPriority.Normal, cancellationToken);

    /// <inheritdoc />
    public async Task<PowerQueryResult> QueryPowerAsync(CancellationToken cancellationToken)
    {
        var result = await CommandAsync('k', _screenOff ? 'd' : 'a', "ff", RequestPriority.Polling, cancellationToken).ConfigureAwait(false);
        var state = PowerState.Unknown;
        if (result.IsSuccess)
        {
            string reply = Encoding.ASCII.GetString(result.Reply.Span);
            bool flag = reply.EndsWith("01", StringComparison.Ordinal);
            state = _screenOff ? (flag ? PowerState.Off : PowerState.On) : (flag ? PowerState.On : PowerState.Off);
        }

        return new PowerQueryResult(result, state);
    }

    private Task<DeviceResult> CommandAsync(char command1, char command2, string data, RequestPriority priority, CancellationToken cancellationToken)
    {
        string setId = _setId.ToString("X2", CultureInfo.InvariantCulture);
        var payload = Encoding.ASCII.GetBytes($"{command1}{command2} {setId} {data}\r");
        byte[] okPrefix = Encoding.ASCII.GetBytes($"{command2} {setId} OK");
        byte[] ngPrefix = Encoding.ASCII.GetBytes($"{command2} {setId} NG");
        return SendAsync(
            $"{command1}{command2} {data}",
            payload,
            priority,
            frame => frame.StartsWith(okPrefix) ? ReplyVerdict.Success
                : frame.StartsWith(ngPrefix) ? ReplyVerdict.Fatal("NG")
                : ReplyVerdict.Unrelated,
            cancellationToken);
    }
}
