using VideoLink.Hardware.Devices;
using VideoLink.Hardware.Evdev;
using VideoLink.Hardware.Queue;
using VideoLink.Hardware.Simulators.Evdev;
using static VideoLink.Hardware.Tests.TestSupport;

namespace VideoLink.Hardware.Tests.Evdev;

public sealed class EvdevInputReaderTests
{
    private static EvdevOptions Options => new()
    {
        Buttons = new Dictionary<int, string> { [59] = "call", [60] = "satisfied" },
        IdNumberSalt = "salt",
    };

    [Fact]
    public void InputEvent_RoundTripsThe24ByteLayout()
    {
        var buffer = new byte[InputEvent.Size];
        new InputEvent(1_700_000_000, 250_000, InputEvent.EvKey, 28, 1).Write(buffer);

        Assert.Equal("00 F1 53 65 00 00 00 00 90 D0 03 00 00 00 00 00 01 00 1C 00 01 00 00 00", ToHex(buffer));
        Assert.Equal(new InputEvent(1_700_000_000, 250_000, 1, 28, 1), InputEvent.Read(buffer));
    }

    [Fact]
    public async Task WedgeReaderDigitsThenEnter_RaiseOneCardRead()
    {
        await using var device = EvdevDeviceSimulator.Create();
        await using var reader = EvdevInputReader.Create(device.DevicePath, Options);
        var cards = new List<CardIdentity>();
        reader.CardRead += (_, e) => { lock (cards) { cards.Add(e.Card); } };
        await reader.StartAsync(CancellationToken.None).WaitAsync(Bound);
        await reader.Port.WaitConnectedAsync(Bound, CancellationToken.None);

        await device.TypeAsync("0012345678\n", CancellationToken.None).WaitAsync(Bound);

        await WaitUntilAsync(() => { lock (cards) { return cards.Count == 1; } }, "the card read");
        lock (cards)
        {
            Assert.Equal("wedge:0012345678", cards[0].Key);
            Assert.Equal(CardKind.KeyboardWedge, cards[0].Kind);
        }
    }

    [Fact]
    public async Task TypedResidentIdNumber_IsMaskedAndHashed()
    {
        await using var device = EvdevDeviceSimulator.Create();
        await using var reader = EvdevInputReader.Create(device.DevicePath, Options);
        var cards = new List<CardIdentity>();
        reader.CardRead += (_, e) => { lock (cards) { cards.Add(e.Card); } };
        await reader.StartAsync(CancellationToken.None).WaitAsync(Bound);
        await reader.Port.WaitConnectedAsync(Bound, CancellationToken.None);

        await device.TypeAsync("41010519800101123X\n", CancellationToken.None).WaitAsync(Bound);

        await WaitUntilAsync(() => { lock (cards) { return cards.Count == 1; } }, "the card read");
        lock (cards)
        {
            Assert.Equal("4101**********123X", cards[0].Display);
            Assert.Equal(CardIdentity.HashIdNumber("41010519800101123X", "salt"), cards[0].Key);
        }
    }

    [Fact]
    public async Task MappedKey_RaisesButtonPress_AndUnplugReconnects()
    {
        await using var device = EvdevDeviceSimulator.Create();
        await using var reader = EvdevInputReader.Create(device.DevicePath, Options with { Port = new DevicePortOptions { ReconnectInitialDelay = TimeSpan.FromMilliseconds(50) } });
        var buttons = new List<string>();
        reader.ButtonPressed += (_, e) => { lock (buttons) { buttons.Add(e.Button); } };
        await reader.StartAsync(CancellationToken.None).WaitAsync(Bound);
        await reader.Port.WaitConnectedAsync(Bound, CancellationToken.None);

        await device.PressAsync(59, CancellationToken.None).WaitAsync(Bound);
        await WaitUntilAsync(() => { lock (buttons) { return buttons.Count == 1; } }, "the call button");

        var health = new List<DeviceHealth>();
        reader.HealthChanged += (_, e) => { lock (health) { health.Add(e.Health); } };
        await device.UnplugAsync().WaitAsync(Bound);

        // The FIFO re-opens within the back-off, so watch the transitions rather than the current value.
        await WaitUntilAsync(() => { lock (health) { return health.Contains(DeviceHealth.Failed); } }, "the unplug");
        await reader.Port.WaitConnectedAsync(Bound, CancellationToken.None);
        await device.PressAsync(60, CancellationToken.None).WaitAsync(Bound);

        await WaitUntilAsync(() => { lock (buttons) { return buttons.Count == 2; } }, "the satisfaction key");
        lock (buttons)
        {
            Assert.Equal(["call", "satisfied"], buttons);
        }
    }
}
