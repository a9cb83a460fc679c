using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using VideoLink.Hardware.Em4100;
using VideoLink.Hardware.Evdev;
using VideoLink.Hardware.IdCard;
using VideoLink.Hardware.Lcus;
using VideoLink.Hardware.Lg;
using VideoLink.Hardware.Nec;
using VideoLink.Hardware.PelcoD;
using VideoLink.Hardware.PjLink;
using VideoLink.Hardware.Queue;
using VideoLink.Hardware.SamsungMdc;
using VideoLink.Hardware.Visca;

namespace VideoLink.Hardware.Devices;

/// <summary>Builds drivers from <see cref="DeviceConfig"/> entries; a bad entry is refused with the field and the reason.</summary>
public static class DeviceFactory
{
    /// <summary>The driver names a config may use.</summary>
    public static IReadOnlyList<string> Drivers { get; } =
    [
        "visca-serial", "visca-ip", "visca-tcp", "pelco-d", "samsung-mdc-serial", "samsung-mdc-tcp", "pjlink",
        "nec-serial", "nec-tcp", "lg-serial", "idcard-serial", "em4100-serial", "evdev", "lcus-relay",
    ];

    /// <summary>Checks <paramref name="config"/> without opening anything.</summary>
    /// <exception cref="DeviceConfigException">The first bad field.</exception>
    public static void Validate(DeviceConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        string id = config.Id;
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new DeviceConfigException("(no id)", "id", "every device needs an id");
        }

        if (!Drivers.Contains(config.Driver))
        {
            throw new DeviceConfigException(id, "driver", $"'{config.Driver}' is not one of {string.Join(", ", Drivers)}");
        }

        if (IsNetwork(config.Driver))
        {
            _ = Endpoint(config, DefaultNetworkPort(config.Driver));
        }
        else
        {
            if (string.IsNullOrWhiteSpace(config.Port))
            {
                throw new DeviceConfigException(id, "port", "a device path such as /dev/ttyUSB0 is required");
            }

            if (config.Driver != "evdev")
            {
                try
                {
                    config.Serial.Validate();
                }
                catch (ArgumentException ex)
                {
                    string field = ex.ParamName switch
                    {
                        "BaudRate" => "baud",
                        "DataBits" => "dataBits",
                        "StopBits" => "stopBits",
                        "Parity" => "parity",
                        _ => "port",
                    };
                    throw new DeviceConfigException(id, field, ex.Message);
                }
            }
        }

        switch (config.Driver)
        {
            case "visca-serial" when config.Address is < 1 or > 7:
                throw new DeviceConfigException(id, "address", "a VISCA camera address is 1–7");
            case "pelco-d" when config.Address is < 1 or > 255:
                throw new DeviceConfigException(id, "address", "a Pelco-D address is 1–255");
            case "lcus-relay" when config.Channel is < 1 or > 8:
                throw new DeviceConfigException(id, "channel", "LCUS relay channels are 1–8");
            case "idcard-serial" when string.IsNullOrWhiteSpace(config.HashSalt):
                throw new DeviceConfigException(id, "hashSalt", "ID numbers are stored only hashed: a salt is required");
            case "evdev" when config.Buttons is not null && config.Buttons.Keys.Any(k => !int.TryParse(k, NumberStyles.None, CultureInfo.InvariantCulture, out _)):
                throw new DeviceConfigException(id, "buttons", "keys must be Linux key codes (numbers), e.g. {\"59\":\"call\"}");
        }
    }

    /// <summary>Creates the driver for <paramref name="config"/> (nothing is opened until it is started).</summary>
    /// <exception cref="DeviceConfigException">The config is refused.</exception>
    public static IDevice Create(DeviceConfig config, ILoggerFactory? loggerFactory = null)
    {
        Validate(config);
        loggerFactory ??= NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger("VideoLink.Hardware." + config.Driver);
        var port = new DevicePortOptions
        {
            ReplyTimeout = config.ReplyTimeoutMs is { } ms ? TimeSpan.FromMilliseconds(ms) : DevicePortOptions.DefaultReplyTimeout,
        };
        int address = config.Address ?? 1;
        switch (config.Driver)
        {
            case "visca-serial":
                return ViscaCamera.CreateSerial(config.Serial, new ViscaCameraOptions { Address = address, Model = config.Model, InitializeChainOnConnect = config.InitializeChain ?? false, Port = port }, logger);
            case "visca-ip":
            {
                var (host, p) = Endpoint(config, ViscaCameraOptions.DefaultIpPort);
                return ViscaCamera.CreateIp(host, p, new ViscaCameraOptions { Model = config.Model, Port = port }, logger);
            }

            case "visca-tcp":
            {
                var (host, p) = Endpoint(config, ViscaCameraOptions.DefaultTcpPort);
                return ViscaCamera.CreateTcp(host, p, new ViscaCameraOptions { Address = address, Model = config.Model, Port = port }, logger);
            }

            case "pelco-d":
                return PelcoDCamera.CreateSerial(config.Serial, new PelcoDCameraOptions { Address = address, Model = config.Model, Port = port }, logger);
            case "samsung-mdc-serial":
                return SamsungMdcDisplay.CreateSerial(config.Serial, new SamsungMdcOptions { DisplayId = address, Model = config.Model, Port = port }, logger);
            case "samsung-mdc-tcp":
            {
                var (host, p) = Endpoint(config, SamsungMdcOptions.DefaultTcpPort);
                return SamsungMdcDisplay.CreateTcp(host, p, new SamsungMdcOptions { DisplayId = address, Model = config.Model, Port = port }, logger);
            }

            case "pjlink":
            {
                var (host, p) = Endpoint(config, PjLinkOptions.DefaultTcpPort);
                return PjLinkProjector.Create(host, p, new PjLinkOptions { Password = config.Password, Model = config.Model, Port = new DevicePortOptions { Mode = ConnectionMode.PerBurst, ReplyTimeout = port.ReplyTimeout } }, logger);
            }

            case "nec-serial":
                return NecDisplay.CreateSerial(config.Serial, new NecDisplayOptions { MonitorId = address, Model = config.Model, Port = port }, logger);
            case "nec-tcp":
            {
                var (host, p) = Endpoint(config, NecDisplayOptions.DefaultTcpPort);
                return NecDisplay.CreateTcp(host, p, new NecDisplayOptions { MonitorId = address, Model = config.Model, Port = port }, logger);
            }

            case "lg-serial":
                return LgDisplay.CreateSerial(config.Serial, new LgDisplayOptions { SetId = address, Model = config.Model, Port = port }, logger);
            case "idcard-serial":
                return IdCardReader.CreateSerial(
                    config.Serial with { BaudRate = config.Baud ?? IdCardReaderOptions.DefaultBaudRate },
                    new IdCardReaderOptions { HashSalt = config.HashSalt!, PollInterval = TimeSpan.FromMilliseconds(config.PollIntervalMs ?? 500), Port = port },
                    logger);
            case "em4100-serial":
                return Em4100Reader.CreateSerial(config.Serial, portOptions: port, logger: logger);
            case "evdev":
                return EvdevInputReader.Create(
                    config.Port!,
                    new EvdevOptions
                    {
                        Buttons = (config.Buttons ?? []).ToDictionary(kv => int.Parse(kv.Key, NumberStyles.None, CultureInfo.InvariantCulture), kv => kv.Value),
                        IdNumberSalt = config.HashSalt ?? string.Empty,
                        Port = port,
                    },
                    logger);
            case "lcus-relay":
                return LcusRelay.CreateSerial(config.Serial, config.Channel ?? 1, port, logger);
            default:
                throw new DeviceConfigException(config.Id, "driver", $"'{config.Driver}' is not supported");
        }
    }

    private static bool IsNetwork(string driver) => driver is "visca-ip" or "visca-tcp" or "samsung-mdc-tcp" or "pjlink" or "nec-tcp";

    private static int DefaultNetworkPort(string driver) => driver switch
    {
        "visca-ip" => ViscaCameraOptions.DefaultIpPort,
        "visca-tcp" => ViscaCameraOptions.DefaultTcpPort,
        "samsung-mdc-tcp" => SamsungMdcOptions.DefaultTcpPort,
        "pjlink" => PjLinkOptions.DefaultTcpPort,
        _ => NecDisplayOptions.DefaultTcpPort,
    };

    private static (string Host, int Port) Endpoint(DeviceConfig config, int defaultPort)
    {
        string? host = config.Host;
        int? port = config.NetworkPort;
        if (string.IsNullOrWhiteSpace(host) && !string.IsNullOrWhiteSpace(config.Port))
        {
            string[] parts = config.Port.Split(':');
            host = parts[0];
            if (parts.Length == 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int parsed))
            {
                port = parsed;
            }
            else if (parts.Length != 1)
            {
                throw new DeviceConfigException(config.Id, "port", $"'{config.Port}' is not host[:port]");
            }
        }

        if (string.IsNullOrWhiteSpace(host))
        {
            throw new DeviceConfigException(config.Id, "host", $"{config.Driver} needs a host (or port as host[:port])");
        }

        int value = port ?? defaultPort;
        if (value is < 1 or > 65535)
        {
            throw new DeviceConfigException(config.Id, "networkPort", $"{value} is not a TCP/UDP port");
        }

        return (host, value);
    }
}
