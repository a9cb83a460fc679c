using Microsoft.Extensions.Logging;
using VideoLink.Hardware.Devices;
using VideoLink.Hardware.Models;
using VideoLink.Hardware.Queue;
using VideoLink.Hardware.Serial;
using VideoLink.Hardware.Transport;

namespace VideoLink.Hardware.SamsungMdc;

/// <summary>Samsung MDC display settings.</summary>
public sealed record SamsungMdcOptions
{
    /// <summary>MDC TCP port.</summary>
    public const int DefaultTcpPort = 1515;

    /// <summary>Display id (set in the panel's menu; 0xFE broadcasts and gets no reply).</summary>
    public int DisplayId { get; init; } = 1;

    /// <summary>Model id in <c>models.json</c> (input code table).</summary>
    public string? Model { get; init; }

    /// <summary>Queue policy.</summary>
    public DevicePortOptions Port { get; init; } = new();
}

/// <summary>
/// A Samsung display over MDC (serial or TCP 1515). Each command is answered
/// <c>AA FF id len 'A'|'N' rcmd data cs</c>; ACK is success, NAK is a fatal refusal.
/// Newer firmware that demands TLS + PIN on 1515 is not supported (turn "secured protocol" off).
/// </summary>
public sealed class SamsungMdcDisplay : PortDevice, IDisplay
{
    private const byte CommandPower = 0x11;
    private const byte CommandVolume = 0x12;
    private const byte CommandMute = 0x13;
    private const byte CommandInput = 0x14;

    private readonly byte _id;
    private readonly DisplayModel _model;

    private SamsungMdcDisplay(DevicePort port, SamsungMdcOptions options)
        : base(port)
    {
        _id = (byte)options.DisplayId;
        _model = DeviceModels.Default.Display(options.Model, "samsung-mdc");
    }

    /// <summary>Display on a serial port (9600 8N1).</summary>
    public static SamsungMdcDisplay CreateSerial(SerialPortSettings serial, SamsungMdcOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SamsungMdcDisplay(new DevicePort(new SerialPortTransport(serial), SamsungMdcFramer.Instance, options.Port, logger), options);
    }

    /// <summary>Display on TCP (port 1515).</summary>
    public static SamsungMdcDisplay CreateTcp(string host, int tcpPort, SamsungMdcOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SamsungMdcDisplay(new DevicePort(new TcpTransport(host, tcpPort), SamsungMdcFramer.Instance, options.Port, logger), options);
    }

    /// <inheritdoc />
    public Task<DeviceResult> SetPowerAsync(bool on, CancellationToken cancellationToken) =>
        CommandAsync(on ? "PowerOn" : "PowerOff", CommandPower, [on ? (byte)1 : (byte)0], on ? RequestPriority.Normal : RequestPriority.High, cancellationToken);

    /// <inheritdoc />
    public Task<DeviceResult> SelectInputAsync(string input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!_model.TryGetInput(input, out string code))
        {
            return Task.FromResult(DeviceResult.Unsupported($"input '{input}' is not in the MDC input table"));
        }

        return CommandAsync($"SelectInput({input})", CommandInput, [Convert.ToByte(code, 16)], RequestPriority.Normal, cancellationToken);
    }

    /// <inheritdoc />
    public Task<DeviceResult> SetVolumeAsync(int volume, CancellationToken cancellationToken) =>
        volume is < 0 or > 100
            ? Task.FromResult(DeviceResult.Unsupported($"volume {volume} is outside 0–100"))
            : CommandAsync($"SetVolume({volume})", CommandVolume, [(byte)volume], RequestPriority.Normal, cancellationToken);

    /// <inheritdoc />
    public Task<DeviceResult> SetMuteAsync(bool muted, CancellationToken cancellationToken) =>
        CommandAsync(muted ? "Mute" : "Unmute", CommandMute, [muted ? (byte)1 : (byte)0], RequestPriority.Normal, cancellationToken);

    /// <inheritdoc />
    public async Task<PowerQueryResult> QueryPowerAsync(CancellationToken cancellationToken)
    {
        var result = await CommandAsync("PowerQuery", CommandPower, [], RequestPriority.Polling, cancellationToken).ConfigureAwait(false);
        var state = PowerState.Unknown;
        if (result.IsSuccess && result.Reply.Length >= 8)
        {
            state = result.Reply.Span[6] == 1 ? PowerState.On : PowerState.Off;
        }

        return new PowerQueryResult(result, state);
    }

    /// <summary>Judges <c>AA FF id len A|N rcmd …</c> for <paramref name="command"/> (MDC guide, "Ack/Nak").</summary>
    internal static ReplyVerdict Classify(ReadOnlySpan<byte> frame, byte id, byte command)
    {
        if (frame.Length < 7 || frame[1] != 0xFF || frame[2] != id || frame[5] != command)
        {
            return ReplyVerdict.Unrelated;
        }

        return frame[4] switch
        {
            (byte)'A' => ReplyVerdict.Success,
            (byte)'N' => ReplyVerdict.Fatal($"NAK, error code {frame[6]:X2}"),
            _ => ReplyVerdict.Unrelated,
        };
    }

    private Task<DeviceResult> CommandAsync(string name, byte command, byte[] data, RequestPriority priority, CancellationToken cancellationToken)
    {
        byte id = _id;
        return SendAsync(name, SamsungMdcFramer.Build(command, id, data), priority, frame => Classify(frame, id, command), cancellationToken);
    }
}
