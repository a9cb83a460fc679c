using VideoLink.Hardware.Devices;
using VideoLink.Hardware.Simulators.Demo;
using VideoLink.Hardware.Simulators.IdCard;
using static VideoLink.Hardware.Tests.TestSupport;

namespace VideoLink.Hardware.Tests.Demo;

public sealed class DemoStationTests
{
    [Fact]
    public async Task DemoStation_EveryConfiguredDeviceWorksThroughTheFactory()
    {
        await using var station = await DemoStation.StartAsync(CancellationToken.None).WaitAsync(Bound);
        var devices = station.Configs.ToDictionary(c => c.Id, c => DeviceFactory.Create(c));
        try
        {
            foreach (var device in devices.Values)
            {
                await device.StartAsync(CancellationToken.None).WaitAsync(Bound);
            }

            var ct = CancellationToken.None;
            Assert.True((await ((ICamera)devices["cam1"]).RecallPresetAsync(2, ct).WaitAsync(Bound)).IsSuccess);
            Assert.True((await ((IDisplay)devices["display1"]).SetPowerAsync(true, ct).WaitAsync(Bound)).IsSuccess);
            Assert.True((await ((IDisplay)devices["projector1"]).SetPowerAsync(true, ct).WaitAsync(Bound)).IsSuccess);
            Assert.True((await ((IRelay)devices["tally1"]).SetAsync(true, ct).WaitAsync(Bound)).IsSuccess);

            var cards = new List<string>();
            ((ICardReader)devices["reader1"]).CardRead += (_, e) => { lock (cards) { cards.Add(e.Card.Key); } };
            ((ICardReader)devices["idreader1"]).CardRead += (_, e) => { lock (cards) { cards.Add(e.Card.Display); } };
            var presses = 0;
            ((IButtonSource)devices["button1"]).ButtonPressed += (_, _) => Interlocked.Increment(ref presses);

            await WaitUntilAsync(() => ((PortDevice)devices["reader1"]).Port.IsConnected && ((PortDevice)devices["button1"]).Port.IsConnected, "readers connected");
            await station.SwipeTagAsync(0x00DEADBEEF, ct).WaitAsync(Bound);
            station.IdCardReader.PlaceCard(SimulatedIdCard.Sample);
            await station.PressCallButtonAsync(ct).WaitAsync(Bound);

            await WaitUntilAsync(() => { lock (cards) { return cards.Count == 2; } }, "both card reads");
            await WaitUntilAsync(() => Volatile.Read(ref presses) == 1, "the call button");
            Assert.Equal(2, station.Camera.LastRecalledPreset);
            Assert.True(station.Display.PowerOn);
            Assert.Equal(1, station.Projector.Power);
            await WaitUntilAsync(() => station.Relay.IsOn(1), "the tally lamp");
            lock (cards)
            {
                Assert.Contains("em4100:00DEADBEEF", cards);
                Assert.Contains("4101**********1234", cards);
            }
        }
        finally
        {
            foreach (var device in devices.Values)
            {
                await device.DisposeAsync().AsTask().WaitAsync(Bound);
            }
        }
    }
}
