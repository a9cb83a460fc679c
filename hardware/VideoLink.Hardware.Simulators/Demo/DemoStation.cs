using VideoLink.Hardware.Devices;
using VideoLink.Hardware.Simulators.Em4100;
using VideoLink.Hardware.Simulators.Evdev;
using VideoLink.Hardware.Simulators.IdCard;
using VideoLink.Hardware.Simulators.Lcus;
using VideoLink.Hardware.Simulators.PjLink;
using VideoLink.Hardware.Simulators.SamsungMdc;
using VideoLink.Hardware.Simulators.Visca;

namespace VideoLink.Hardware.Simulators.Demo;

/// <summary>
/// A whole site's hardware, simulated, for the station agent's <c>--demo</c> mode: a VISCA camera,
/// a Samsung display and an LCUS tally relay on pty pairs, a PJLink projector on TCP, an EM4100 reader,
/// an ID-card reader and a USB call button. <see cref="Configs"/> are ready for <see cref="DeviceFactory"/>.
/// Requires socat (Debian package <c>socat</c>).
/// </summary>
public sealed class DemoStation : IAsyncDisposable
{
    /// <summary>Salt used by the demo ID-card and wedge readers.</summary>
    public const string DemoSalt = "videolink-demo";

    /// <summary>Key code of the demo call button (KEY_F1).</summary>
    public const ushort CallButtonKey = 59;

    private DemoStation()
    {
    }

    /// <summary>The camera (<c>cam1</c>, visca-serial).</summary>
    public ViscaCameraSimulator Camera { get; } = new();

    /// <summary>The display (<c>display1</c>, samsung-mdc-serial).</summary>
    public SamsungMdcSimulator Display { get; } = new();

    /// <summary>The projector (<c>projector1</c>, pjlink, password <c>demo</c>).</summary>
    public PjLinkSimulator Projector { get; } = new("demo");

    /// <summary>The tally relay (<c>tally1</c>, lcus-relay channel 1).</summary>
    public LcusRelaySimulator Relay { get; } = new();

    /// <summary>The proximity card reader (<c>reader1</c>, em4100-serial).</summary>
    public Em4100ReaderSimulator CardReader { get; } = new();

    /// <summary>The ID-card reader (<c>idreader1</c>, idcard-serial).</summary>
    public IdCardReaderSimulator IdCardReader { get; } = new();

    /// <summary>The call button (<c>button1</c>, evdev).</summary>
    public EvdevDeviceSimulator CallButton { get; private set; } = null!;

    /// <summary>Device configs pointing at the simulators.</summary>
    public IReadOnlyList<DeviceConfig> Configs { get; private set; } = [];

    /// <summary>Starts every simulator.</summary>
    public static async Task<DemoStation> StartAsync(CancellationToken cancellationToken)
    {
        var station = new DemoStation();
        try
        {
            await station.Camera.StartOnPtyAsync(cancellationToken).ConfigureAwait(false);
            await station.Display.StartOnPtyAsync(cancellationToken).ConfigureAwait(false);
            await station.Relay.StartOnPtyAsync(cancellationToken).ConfigureAwait(false);
            await station.CardReader.StartOnPtyAsync(cancellationToken).ConfigureAwait(false);
            await station.IdCardReader.StartOnPtyAsync(cancellationToken).ConfigureAwait(false);
            await station.Projector.StartOnTcpAsync(cancellationToken).ConfigureAwait(false);
            station.CallButton = EvdevDeviceSimulator.Create();
        }
        catch
        {
            await station.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        station.Configs =
        [
            new DeviceConfig { Id = "cam1", Kind = "Camera", Driver = "visca-serial", Port = station.Camera.DevicePath, Baud = 9600, Address = 1 },
            new DeviceConfig { Id = "display1", Kind = "Display", Driver = "samsung-mdc-serial", Port = station.Display.DevicePath, Baud = 9600, Address = 1 },
            new DeviceConfig { Id = "projector1", Kind = "Display", Driver = "pjlink", Host = "127.0.0.1", NetworkPort = station.Projector.Port, Password = "demo" },
            new DeviceConfig { Id = "tally1", Kind = "Relay", Driver = "lcus-relay", Port = station.Relay.DevicePath, Baud = 9600, Channel = 1 },
            new DeviceConfig { Id = "reader1", Kind = "CardReader", Driver = "em4100-serial", Port = station.CardReader.DevicePath, Baud = 9600 },
            new DeviceConfig { Id = "idreader1", Kind = "CardReader", Driver = "idcard-serial", Port = station.IdCardReader.DevicePath, Baud = 115200, HashSalt = DemoSalt },
            new DeviceConfig
            {
                Id = "button1",
                Kind = "Button",
                Driver = "evdev",
                Port = station.CallButton.DevicePath,
                HashSalt = DemoSalt,
                Buttons = new Dictionary<string, string> { [CallButtonKey.ToString(System.Globalization.CultureInfo.InvariantCulture)] = "call" },
            },
        ];
        return station;
    }

    /// <summary>Lays an EM4100 tag on the reader for a moment (repeated frames, as a real reader sends).</summary>
    public Task SwipeTagAsync(ulong tag, CancellationToken cancellationToken) =>
        CardReader.PresentTagAsync(tag, repeats: 5, TimeSpan.FromMilliseconds(100), cancellationToken);

    /// <summary>Presses the call button.</summary>
    public Task PressCallButtonAsync(CancellationToken cancellationToken) => CallButton.PressAsync(CallButtonKey, cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Camera.DisposeAsync().ConfigureAwait(false);
        await Display.DisposeAsync().ConfigureAwait(false);
        await Projector.DisposeAsync().ConfigureAwait(false);
        await Relay.DisposeAsync().ConfigureAwait(false);
        await CardReader.DisposeAsync().ConfigureAwait(false);
        await IdCardReader.DisposeAsync().ConfigureAwait(false);
        if (CallButton is not null)
        {
            await CallButton.DisposeAsync().ConfigureAwait(false);
        }
    }
}
