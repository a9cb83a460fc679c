using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using VideoLink.Hardware.Devices;
using VideoLink.Hardware.Models;
using VideoLink.Hardware.Queue;
using VideoLink.Hardware.Serial;
using VideoLink.Hardware.Transport;

namespace VideoLink.Hardware.Nec;

/// <summary>NEC display settings.</summary>
public sealed record NecDisplayOptions
{
    /// <summary>NEC LAN control port.</summary>
    public const int DefaultTcpPort = 7142;

    /// <summary>Monitor id 1–100 (1 = 'A').</summary>
    public int MonitorId { get; init; } = 1;

    /// <summary>Model id in <c>models.json</c>.</summary>
    public string? Model { get; init; }

    /// <summary>Queue policy.</summary>
    public DevicePortOptions Port { get; init; } = new();
}

/// <summary>
/// An NEC large-format display (NEC "External Control" manual): power control is command
/// <c>C203D6</c> + <c>0001</c>/<c>0004</c>, power status read <c>01D6</c>, settings through "set
/// parameter" (type 'E', op-code page + code + 4-hex value): input 0x0060, volume 0x0062, mute 0x008D.
/// A reply result <c>00</c> is success, anything else a refusal.
/// </summary>
public sealed class NecDisplay : PortDevice, IDisplay
{
    private readonly byte _monitor;
    private readonly DisplayModel _model;

    private NecDisplay(DevicePort port, NecDisplayOptions options)
        : base(port)
    {
        if (options.MonitorId is < 1 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MonitorId, "NEC monitor ids are 1–100.");
        }

        _monitor = (byte)('A' + options.MonitorId - 1);
        _model = DeviceModels.Default.Display(options.Model, "nec");
    }

    /// <summary>Display on RS-232C (9600 8N1).</summary>
    public static NecDisplay CreateSerial(SerialPortSettings serial, NecDisplayOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new NecDisplay(new DevicePort(new SerialPortTransport(serial), NecFramer.Instance, options.Port, logger), options);
    }

    /// <summary>Display on LAN (TCP 7142).</summary>
    public static NecDisplay CreateTcp(string host, int tcpPort, NecDisplayOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new NecDisplay(new DevicePort(new TcpTransport(host, tcpPort), NecFramer.Instance, options.Port, logger), options);
    }

    /// <inheritdoc />
    public Task<DeviceResult> SetPowerAsync(bool on, CancellationToken cancellationToken) =>
        SendNecAsync(on ? "PowerOn" : "PowerOff", (byte)'A', on ? "C203D60001" : "C203D60004", (byte)'B', 0, on ? RequestPriority.Normal : RequestPriority.High, cancellationToken);

    /// <inheritdoc />
    public Task<DeviceResult> SelectInputAsync(string input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        return _model.TryGetInput(input, out string code)
            ? SetParameterAsync($"SelectInput({input})", 0x60, Convert.ToInt32(code, 16), cancellationToken)
            : Task.FromResult(DeviceResult.Unsupported($"input '{input}' is not in the NEC input table"));
    }

    /// <inheritdoc />
    public Task<DeviceResult> SetVolumeAsync(int volume, CancellationToken cancellationToken) =>
        volume is < 0 or > 100
            ? Task.FromResult(DeviceResult.Unsupported($"volume {volume} is outside 0–100"))
            : SetParameterAsync($"SetVolume({volume})", 0x62, volume, cancellationToken);

    /// <inheritdoc />
    public Task<DeviceResult> SetMuteAsync(bool muted, CancellationToken cancellationToken) =>
        SetParameterAsync(muted ? "Mute" : "Unmute", 0x8D, muted ? 1 : 2, cancellationToken);

    /// <inheritdoc />
    public async Task<PowerQueryResult> QueryPowerAsync(CancellationToken cancellationToken)
    {
        // Reply body: "02" reserved, "00" result, "D6" op code, "00" type, "0004" max, "000x" mode.
        var result = await SendNecAsync("PowerQuery", (byte)'A', "01D6", (byte)'B', 2, RequestPriority.Polling, cancellationToken).ConfigureAwait(false);
        var state = PowerState.Unknown;
        if (result.IsSuccess)
        {
            string body = Body(result.Reply.Span);
            if (body.Length >= 16)
            {
                state = body[12..16] switch
                {
                    "0001" => PowerState.On,
                    "0002" or "0003" or "0004" => PowerState.Off,
                    _ => PowerState.Unknown,
                };
            }
        }

        return new PowerQueryResult(result, state);
    }

    /// <summary>The text between STX and ETX.</summary>
    internal static string Body(ReadOnlySpan<byte> packet)
    {
        int stx = packet.IndexOf(NecFramer.Stx);
        int etx = packet.LastIndexOf(NecFramer.Etx);
        return stx < 0 || etx <= stx ? string.Empty : Encoding.ASCII.GetString(packet[(stx + 1)..etx]);
    }

    private Task<DeviceResult> SetParameterAsync(string name, int opCode, int value, CancellationToken cancellationToken) =>
        SendNecAsync(name, (byte)'E', string.Create(CultureInfo.InvariantCulture, $"00{opCode:X2}{value:X4}"), (byte)'F', 0, RequestPriority.Normal, cancellationToken);

    private Task<DeviceResult> SendNecAsync(string name, byte messageType, string body, byte replyType, int resultOffset, RequestPriority priority, CancellationToken cancellationToken)
    {
        byte monitor = _monitor;
        var packet = NecFramer.Build(monitor, messageType, Encoding.ASCII.GetBytes(body));
        return SendAsync(
            name,
            packet,
            priority,
            frame =>
            {
                // Reply header: SOH '0' dest='0' src=monitor type len…
                if (frame.Length < 9 || frame[3] != monitor || frame[4] != replyType)
                {
                    return ReplyVerdict.Unrelated;
                }

                string text = Body(frame);
                return text.Length >= resultOffset + 2 && text.AsSpan(resultOffset, 2).SequenceEqual("00")
                    ? ReplyVerdict.Success
                    : ReplyVerdict.Fatal($"NEC result {(text.Length >= resultOffset + 2 ? text.Substring(resultOffset, 2) : "??")}");
            },
            cancellationToken);
    }
}
