using VideoLink.Hardware.Devices;
using VideoLink.Hardware.IdCard;
using VideoLink.Hardware.Queue;
using VideoLink.Hardware.Serial;
using VideoLink.Hardware.Simulators.IdCard;
using static VideoLink.Hardware.Tests.TestSupport;

namespace VideoLink.Hardware.Tests.IdCard;

public sealed class IdCardReaderTests
{
    private static IdCardReaderOptions Options => new()
    {
        HashSalt = "district-salt",
        PollInterval = TimeSpan.FromMilliseconds(50),
        Port = new DevicePortOptions { ReplyTimeout = TimeSpan.FromSeconds(3) },
    };

    [Fact]
    public async Task CardPlaced_IsReadOnce_WithMaskedNumberAndSaltedHash()
    {
        await using var simulator = new IdCardReaderSimulator();
        await simulator.StartOnPtyAsync(CancellationToken.None).WaitAsync(Bound);
        await using var reader = IdCardReader.CreateSerial(new SerialPortSettings { Path = simulator.DevicePath!, BaudRate = 115200 }, Options);
        var reads = new List<CardIdentity>();
        reader.CardRead += (_, e) => { lock (reads) { reads.Add(e.Card); } };
        await reader.StartAsync(CancellationToken.None).WaitAsync(Bound);

        simulator.PlaceCard(SimulatedIdCard.Sample);
        await WaitUntilAsync(() => { lock (reads) { return reads.Count == 1; } }, "the card read");
        int framesAfterFirstRead = simulator.ReceivedFrames.Count;
        await WaitUntilAsync(() => simulator.ReceivedFrames.Count > framesAfterFirstRead + 6, "more polls while the card stays");

        CardIdentity card;
        lock (reads)
        {
            Assert.Single(reads);
            card = reads[0];
        }

        Assert.Equal("张三", card.Name);
        Assert.Equal("男", card.Sex);
        Assert.Equal(new DateOnly(1980, 1, 1), card.BirthDate);
        Assert.Equal("河南省郑州市金水区示例路1号", card.Address);
        Assert.Equal("4101**********1234", card.Display);
        Assert.Equal(CardIdentity.HashIdNumber("410105198001011234", "district-salt"), card.Key);
        Assert.DoesNotContain("410105198001011234", card.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("410105198001011234", card.Key, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Poll_SendsDocumentedFindSelectReadBytes()
    {
        await using var simulator = new IdCardReaderSimulator();
        await simulator.StartOnPtyAsync(CancellationToken.None).WaitAsync(Bound);
        await using var reader = IdCardReader.CreateSerial(new SerialPortSettings { Path = simulator.DevicePath! }, Options);
        simulator.PlaceCard(SimulatedIdCard.Sample);

        var identity = await reader.ReadOnceAsync(CancellationToken.None).WaitAsync(Bound);

        Assert.NotNull(identity);
        Assert.Equal(
            ["AA AA AA 96 69 00 03 20 01 22", "AA AA AA 96 69 00 03 20 02 21", "AA AA AA 96 69 00 03 30 01 32"],
            simulator.ReceivedFrames.Select(f => ToHex(f)).ToList());
    }

    [Fact]
    public async Task CardRemovedAndPlacedAgain_IsReadAgain()
    {
        await using var simulator = new IdCardReaderSimulator();
        await simulator.StartOnPtyAsync(CancellationToken.None).WaitAsync(Bound);
        await using var reader = IdCardReader.CreateSerial(new SerialPortSettings { Path = simulator.DevicePath! }, Options);
        int reads = 0;
        reader.CardRead += (_, _) => Interlocked.Increment(ref reads);
        await reader.StartAsync(CancellationToken.None).WaitAsync(Bound);

        simulator.PlaceCard(SimulatedIdCard.Sample);
        await WaitUntilAsync(() => Volatile.Read(ref reads) == 1, "first read");
        simulator.RemoveCard();
        int frames = simulator.ReceivedFrames.Count;
        await WaitUntilAsync(() => simulator.ReceivedFrames.Count > frames + 2, "a poll without the card");
        simulator.PlaceCard(SimulatedIdCard.Sample);
        await WaitUntilAsync(() => Volatile.Read(ref reads) == 2, "second read");
    }

    [Fact]
    public void Mask_KeepsFirstAndLastFour()
    {
        Assert.Equal("4101**********1234", CardIdentity.MaskIdNumber("410105198001011234"));
        Assert.Equal(64, CardIdentity.HashIdNumber("41010519800101123x", "s").Length);
        Assert.Equal(CardIdentity.HashIdNumber("41010519800101123x", "s"), CardIdentity.HashIdNumber("41010519800101123X", "s"));
    }
}
