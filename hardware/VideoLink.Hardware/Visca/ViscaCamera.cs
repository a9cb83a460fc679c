using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using VideoLink.Hardware.Devices;
using VideoLink.Hardware.Framing;
using VideoLink.Hardware.Models;
using VideoLink.Hardware.Queue;
using VideoLink.Hardware.Serial;
using VideoLink.Hardware.Transport;

namespace VideoLink.Hardware.Visca;

/// <summary>How VISCA bytes travel.</summary>
public enum ViscaLink
{
    /// <summary>RS-232/RS-422 daisy chain.</summary>
    Serial,

    /// <summary>Raw VISCA on TCP (PTZOptics 5678).</summary>
    Tcp,

    /// <summary>Sony VISCA over IP: UDP 52381 with the 8-byte header and sequence numbers.</summary>
    Ip,
}

/// <summary>Camera settings.</summary>
public sealed record ViscaCameraOptions
{
    /// <summary>VISCA over IP port.</summary>
    public const int DefaultIpPort = 52381;

    /// <summary>PTZOptics raw VISCA TCP port.</summary>
    public const int DefaultTcpPort = 5678;

    /// <summary>Camera address on the chain, 1–7 (always 1 over IP).</summary>
    public int Address { get; init; } = 1;

    /// <summary>Model id in <c>models.json</c> (speed and preset ranges).</summary>
    public string? Model { get; init; }

    /// <summary>Run address set + IF_Clear on every (re)connect of a serial chain (off: some responders dislike broadcasts).</summary>
    public bool InitializeChainOnConnect { get; init; }

    /// <summary>Queue and timing policy.</summary>
    public DevicePortOptions Port { get; init; } = new();
}

/// <summary>
/// A Sony VISCA camera (also PTZOptics, Lumens, most Chinese conference cameras) over serial, raw TCP
/// or VISCA over IP. One packet outstanding, ACK restarts the timer, buffer full retried after 50 ms,
/// "not executable" fatal; a network-change message (<c>x0 38 FF</c>) re-runs address set.
/// </summary>
public sealed partial class ViscaCamera : PortDevice, ICamera
{
    private readonly ViscaLink _link;
    private readonly int _address;
    private readonly CameraModel _model;
    private readonly ILogger _logger;
    private readonly IpSequence? _sequence;

    private ViscaCamera(DevicePort port, ViscaLink link, ViscaCameraOptions options, IpSequence? sequence, ILogger logger)
        : base(port)
    {
        _link = link;
        _address = link == ViscaLink.Ip ? 1 : options.Address;
        _model = DeviceModels.Default.Camera(options.Model, "generic-visca");
        _sequence = sequence;
        _logger = logger;
        port.UnsolicitedFrame += OnUnsolicited;
    }

    /// <summary>Camera on a serial port.</summary>
    public static ViscaCamera CreateSerial(SerialPortSettings serial, ViscaCameraOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ValidateAddress(options.Address);
        logger ??= NullLogger.Instance;
        var port = new DevicePort(new SerialPortTransport(serial), ViscaFramer.Instance, options.Port, logger)
        {
            Handshake = options.InitializeChainOnConnect ? InitializeChainOnConnectAsync : null,
        };
        return new ViscaCamera(port, ViscaLink.Serial, options, null, logger);
    }

    /// <summary>Camera taking raw VISCA on TCP (PTZOptics 5678).</summary>
    public static ViscaCamera CreateTcp(string host, int tcpPort, ViscaCameraOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ValidateAddress(options.Address);
        logger ??= NullLogger.Instance;
        var port = new DevicePort(new TcpTransport(host, tcpPort), ViscaFramer.Instance, options.Port, logger);
        return new ViscaCamera(port, ViscaLink.Tcp, options, null, logger);
    }

    /// <summary>Camera on VISCA over IP (UDP 52381); the sequence number is reset on every (re)connect.</summary>
    public static ViscaCamera CreateIp(string host, int udpPort, ViscaCameraOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        logger ??= NullLogger.Instance;
        var sequence = new IpSequence();
        var port = new DevicePort(new UdpTransport(host, udpPort), ViscaIpFramer.Instance, options.Port, logger)
        {
            Handshake = sequence.ResetAsync,
        };
        return new ViscaCamera(port, ViscaLink.Ip, options, sequence, logger);
    }

    /// <summary>The link kind.</summary>
    public ViscaLink Link => _link;

    /// <inheritdoc />
    public Task<DeviceResult> SetPowerAsync(bool on, CancellationToken cancellationToken) =>
        CommandAsync(on ? "PowerOn" : "PowerOff", ViscaCommands.Power(_address, on), on ? RequestPriority.Normal : RequestPriority.High, cancellationToken);

    /// <inheritdoc />
    public Task<DeviceResult> PanTiltAsync(PanTiltDirection direction, int speedPercent, CancellationToken cancellationToken)
    {
        int pan = CameraModel.ScaleSpeed(speedPercent, _model.MaxPanSpeed);
        int tilt = CameraModel.ScaleSpeed(speedPercent, _model.MaxTiltSpeed);
        var priority = direction == PanTiltDirection.Stop ? RequestPriority.High : RequestPriority.Normal;
        return CommandAsync($"PanTilt({direction},{speedPercent}%)", ViscaCommands.PanTilt(_address, direction, pan, tilt), priority, cancellationToken);
    }

    /// <inheritdoc />
    public Task<DeviceResult> StopAsync(CancellationToken cancellationToken) =>
        CommandAsync("Stop", ViscaCommands.PanTilt(_address, PanTiltDirection.Stop, _model.MaxPanSpeed, _model.MaxTiltSpeed), RequestPriority.High, cancellationToken);

    /// <inheritdoc />
    public Task<DeviceResult> ZoomAsync(ZoomDirection direction, CancellationToken cancellationToken) =>
        CommandAsync($"Zoom({direction})", ViscaCommands.Zoom(_address, direction), direction == ZoomDirection.Stop ? RequestPriority.High : RequestPriority.Normal, cancellationToken);

    /// <inheritdoc />
    public Task<DeviceResult> RecallPresetAsync(int preset, CancellationToken cancellationToken) =>
        PresetInRange(preset)
            ? CommandAsync($"RecallPreset({preset})", ViscaCommands.RecallPreset(_address, preset), RequestPriority.Normal, cancellationToken)
            : Task.FromResult(DeviceResult.Unsupported($"preset {preset} is outside {_model.MinPreset}–{_model.MaxPreset}"));

    /// <inheritdoc />
    public Task<DeviceResult> SetPresetAsync(int preset, CancellationToken cancellationToken) =>
        PresetInRange(preset)
            ? CommandAsync($"SetPreset({preset})", ViscaCommands.SetPreset(_address, preset), RequestPriority.Normal, cancellationToken)
            : Task.FromResult(DeviceResult.Unsupported($"preset {preset} is outside {_model.MinPreset}–{_model.MaxPreset}"));

    /// <inheritdoc />
    public Task<DeviceResult> HomeAsync(CancellationToken cancellationToken) =>
        CommandAsync("Home", ViscaCommands.Home(_address), RequestPriority.Normal, cancellationToken);

    /// <inheritdoc />
    public async Task<PowerQueryResult> QueryPowerAsync(CancellationToken cancellationToken)
    {
        var result = await SendViscaAsync("PowerInquiry", ViscaCommands.PowerInquiry(_address), RequestPriority.Polling, inquiry: true, cancellationToken).ConfigureAwait(false);
        var state = PowerState.Unknown;
        if (result.IsSuccess)
        {
            var reply = Unwrap(result.Reply.Span);
            state = reply.Length >= 4 ? reply[2] switch
            {
                0x02 => PowerState.On,
                0x03 => PowerState.Off,
                0x04 => PowerState.Fault,
                _ => PowerState.Unknown,
            } : PowerState.Unknown;
        }

        return new PowerQueryResult(result, state);
    }

    /// <summary>Re-runs address set and IF_Clear on the chain (after a network change).</summary>
    public async Task<DeviceResult> InitializeChainAsync(CancellationToken cancellationToken)
    {
        if (_link != ViscaLink.Serial)
        {
            return DeviceResult.Unsupported("address set is a serial-chain command");
        }

        var result = await Port.SendAsync(AddressSetRequest(), cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            return result;
        }

        return await Port.SendAsync(InterfaceClearRequest(), cancellationToken).ConfigureAwait(false);
    }

    private static async Task InitializeChainOnConnectAsync(PortSession session, CancellationToken cancellationToken)
    {
        // Address set then IF_Clear, each answered by the last camera on the chain. A camera that does
        // not answer broadcasts is not a reason to refuse the link.
        foreach (var (bytes, reply) in new[] { (ViscaCommands.AddressSet(), (byte)0x30), (ViscaCommands.InterfaceClear(), (byte)0x01) })
        {
            await session.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(1);
            while (DateTime.UtcNow < deadline)
            {
                var frame = await session.ReadFrameAsync(deadline - DateTime.UtcNow, cancellationToken).ConfigureAwait(false);
                if (frame is null || (frame.Length >= 3 && frame[0] == 0x88 && frame[1] == reply))
                {
                    break;
                }
            }
        }
    }

    private static DeviceRequest AddressSetRequest() => new()
    {
        Name = "AddressSet",
        Payload = ViscaCommands.AddressSet(),
        Priority = RequestPriority.Urgent,
        Classify = static frame => frame.Length == 4 && frame[0] == 0x88 && frame[1] == 0x30 ? ReplyVerdict.Success : ReplyVerdict.Unrelated,
    };

    private static DeviceRequest InterfaceClearRequest() => new()
    {
        Name = "IF_Clear",
        Payload = ViscaCommands.InterfaceClear(),
        Priority = RequestPriority.Urgent,
        Classify = static frame => frame.Length == 5 && frame[0] == 0x88 && frame[1] == 0x01 ? ReplyVerdict.Success : ReplyVerdict.Unrelated,
    };

    private static void ValidateAddress(int address)
    {
        if (address is < 1 or > 7)
        {
            throw new ArgumentOutOfRangeException(nameof(address), address, "A VISCA camera address is 1–7.");
        }
    }

    private bool PresetInRange(int preset) => preset >= _model.MinPreset && preset <= _model.MaxPreset;

    private Task<DeviceResult> CommandAsync(string name, byte[] visca, RequestPriority priority, CancellationToken cancellationToken) =>
        SendViscaAsync(name, visca, priority, inquiry: false, cancellationToken);

    private Task<DeviceResult> SendViscaAsync(string name, byte[] visca, RequestPriority priority, bool inquiry, CancellationToken cancellationToken)
    {
        var tracker = new ViscaReplyTracker(_address, inquiry);
        DeviceRequest request;
        if (_sequence is null)
        {
            request = new DeviceRequest { Name = name, Payload = visca, Priority = priority, Classify = tracker.Classify };
        }
        else
        {
            // VISCA over IP: the sequence number is taken at the first write (after any reset) and
            // kept for resends, so a resend after a timeout carries the same one.
            uint sequence = 0;
            var ipSequence = _sequence;
            request = new DeviceRequest
            {
                Name = name,
                PayloadFactory = () =>
                {
                    sequence = ipSequence.Next();
                    return ViscaIp.Wrap(inquiry ? ViscaIp.Inquiry : ViscaIp.Command, sequence, visca);
                },
                Priority = priority,
                Classify = frame => ClassifyIp(frame, sequence, tracker),
            };
        }

        return Port.SendAsync(request, cancellationToken);
    }

    private static ReplyVerdict ClassifyIp(ReadOnlySpan<byte> frame, uint sequence, ViscaReplyTracker tracker)
    {
        if (frame.Length <= ViscaIpFramer.HeaderLength)
        {
            return ReplyVerdict.Unrelated;
        }

        int type = (frame[0] << 8) | frame[1];
        uint replySequence = (uint)((frame[4] << 24) | (frame[5] << 16) | (frame[6] << 8) | frame[7]);
        var payload = frame[ViscaIpFramer.HeaderLength..];
        if (type == ViscaIp.ControlReply && payload.Length >= 2 && payload[0] == 0x0F)
        {
            // Sony VISCA over IP, "error reply for control": 0F 01 = sequence number abnormal (the camera
            // restarted or lost our numbering) → reset and resend; 0F 02 = message abnormal.
            return payload[1] == 0x01 ? ReplyVerdict.Resync("sequence number abnormal") : ReplyVerdict.Fatal("message abnormal");
        }

        if (type != ViscaIp.Reply)
        {
            return ReplyVerdict.Unrelated;
        }

        return replySequence == sequence ? tracker.Classify(payload) : ReplyVerdict.Unrelated;
    }

    private ReadOnlySpan<byte> Unwrap(ReadOnlySpan<byte> frame) =>
        _link == ViscaLink.Ip && frame.Length > ViscaIpFramer.HeaderLength ? frame[ViscaIpFramer.HeaderLength..] : frame;

    private void OnUnsolicited(object? sender, DeviceFrameEventArgs e)
    {
        var frame = Unwrap(e.Frame.Span);
        if (_link == ViscaLink.Serial && frame.Length == 3 && (frame[0] & 0x8F) == 0x80 && frame[1] == 0x38)
        {
            // Network change (x0 38 FF): a camera joined or left the chain, addresses must be assigned again.
            Log.NetworkChange(_logger, Port.Transport.Description);

            // Not awaited: this runs on the port's read pump, which must keep reading the replies.
            _ = RecoverChainAsync();
        }
    }

    private async Task RecoverChainAsync()
    {
        var result = await InitializeChainAsync(CancellationToken.None).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            Log.ChainRecoveryFailed(_logger, Port.Transport.Description, result.ToString());
        }
    }

    private sealed class IpSequence
    {
        private uint _next;

        public uint Next() => Interlocked.Increment(ref _next);

        public async Task ResetAsync(PortSession session, CancellationToken cancellationToken)
        {
            Interlocked.Exchange(ref _next, 0);
            await session.WriteAsync(ViscaIp.ResetSequence(), cancellationToken).ConfigureAwait(false);

            // The control reply (0201) confirms; a camera that stays silent is still usable, so wait briefly only.
            var deadline = DateTime.UtcNow + TimeSpan.FromMilliseconds(500);
            while (DateTime.UtcNow < deadline)
            {
                var frame = await session.ReadFrameAsync(deadline - DateTime.UtcNow, cancellationToken).ConfigureAwait(false);
                if (frame is null || (frame.Length >= 2 && ((frame[0] << 8) | frame[1]) == ViscaIp.ControlReply))
                {
                    return;
                }
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "{Endpoint} VISCA network change: re-running address set")]
        public static partial void NetworkChange(ILogger logger, string endpoint);

        [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "{Endpoint} VISCA address set after a network change failed: {Result}")]
        public static partial void ChainRecoveryFailed(ILogger logger, string endpoint, string result);
    }
}
