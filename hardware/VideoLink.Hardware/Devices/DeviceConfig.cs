using System.Text.Json.Serialization;
using VideoLink.Hardware.Serial;

namespace VideoLink.Hardware.Devices;

/// <summary>
/// One device in a station's config file, e.g.
/// <c>{"id":"cam1","kind":"Camera","driver":"visca-serial","port":"/dev/ttyUSB0","baud":9600,"address":1}</c>.
/// Network drivers take <c>host</c> (and optionally <c>networkPort</c>), or <c>port</c> as <c>host[:port]</c>.
/// </summary>
public sealed record DeviceConfig
{
    /// <summary>Station-unique id.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>Camera, Display, CardReader, Relay, Button (informational; the driver decides).</summary>
    public string? Kind { get; init; }

    /// <summary>One of <see cref="DeviceFactory.Drivers"/>.</summary>
    public string Driver { get; init; } = string.Empty;

    /// <summary>Serial or input device path; or <c>host[:port]</c> for network drivers.</summary>
    public string? Port { get; init; }

    /// <summary>Baud rate (serial drivers).</summary>
    public int? Baud { get; init; }

    /// <summary>Data bits (default 8).</summary>
    public int? DataBits { get; init; }

    /// <summary>none, even, odd, mark, space (default none).</summary>
    public string? Parity { get; init; }

    /// <summary>1 or 2 (default 1).</summary>
    public int? StopBits { get; init; }

    /// <summary>Camera address (VISCA 1–7, Pelco-D 1–255) or display id (MDC).</summary>
    public int? Address { get; init; }

    /// <summary>Host name or IP (network drivers).</summary>
    public string? Host { get; init; }

    /// <summary>TCP/UDP port (network drivers; defaults per protocol).</summary>
    public int? NetworkPort { get; init; }

    /// <summary>PJLink password.</summary>
    public string? Password { get; init; }

    /// <summary>Model id in the quirk tables (<c>models.json</c>).</summary>
    public string? Model { get; init; }

    /// <summary>Relay channel (LCUS).</summary>
    public int? Channel { get; init; }

    /// <summary>Salt for ID-number hashes (ID-card reader, evdev wedge readers).</summary>
    public string? HashSalt { get; init; }

    /// <summary>evdev key code → button name, e.g. <c>{"59":"call"}</c>.</summary>
    public Dictionary<string, string>? Buttons { get; init; }

    /// <summary>Reply timeout in ms (default 2000).</summary>
    public int? ReplyTimeoutMs { get; init; }

    /// <summary>Card poll interval in ms (ID-card reader).</summary>
    public int? PollIntervalMs { get; init; }

    /// <summary>VISCA serial: run address set + IF_Clear on connect.</summary>
    public bool? InitializeChain { get; init; }

    /// <summary>Serial settings from the fields above.</summary>
    [JsonIgnore]
    public SerialPortSettings Serial => new()
    {
        Path = Port ?? string.Empty,
        BaudRate = Baud ?? SerialPortSettings.DefaultBaudRate,
        DataBits = DataBits ?? 8,
        Parity = Parity?.ToUpperInvariant() switch
        {
            null or "NONE" or "N" => SerialParity.None,
            "EVEN" or "E" => SerialParity.Even,
            "ODD" or "O" => SerialParity.Odd,
            "MARK" or "M" => SerialParity.Mark,
            "SPACE" or "S" => SerialParity.Space,
            _ => (SerialParity)(-1),
        },
        StopBits = (SerialStopBits)(StopBits ?? 1),
    };
}

/// <summary>A config field that cannot work, with the reason.</summary>
public sealed class DeviceConfigException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public DeviceConfigException()
    {
        DeviceId = string.Empty;
        Field = string.Empty;
        Reason = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    public DeviceConfigException(string message)
        : base(message)
    {
        DeviceId = string.Empty;
        Field = string.Empty;
        Reason = message;
    }

    /// <summary>Creates the exception.</summary>
    public DeviceConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
        DeviceId = string.Empty;
        Field = string.Empty;
        Reason = message;
    }

    /// <summary>Creates the exception for <paramref name="field"/> of device <paramref name="deviceId"/>.</summary>
    public DeviceConfigException(string deviceId, string field, string reason)
        : base($"device '{deviceId}': {field}: {reason}", field)
    {
        DeviceId = deviceId;
        Field = field;
        Reason = reason;
    }

    /// <summary>The device id.</summary>
    public string DeviceId { get; }

    /// <summary>The JSON field name.</summary>
    public string Field { get; }

    /// <summary>Why it is refused.</summary>
    public string Reason { get; }
}
