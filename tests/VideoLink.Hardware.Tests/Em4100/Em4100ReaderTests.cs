using VideoLink.Hardware.Devices;
using VideoLink.Hardware.Em4100;
using VideoLink.Hardware.Serial;
using VideoLink.Hardware.Simulators.Em4100;
using static VideoLink.Hardware.Tests.TestSupport;

namespace VideoLink.Hardware.Tests.Em4100;

public sealed class Em4100ReaderTests
{
    [Fact]
    public async Task TagLyingOnReader_IsReportedOnce_AndAgainAfterItLeaves()
    {
        await using var simulator = new Em4100ReaderSimulator();
        await simulator.StartOnPtyAsync(CancellationToken.None).WaitAsync(Bound);
        var clock = new ManualClock();
        await using var reader = Em4100Reader.CreateSerial(new SerialPortSettings { Path = simulator.DevicePath! }, repeatWindow: TimeSpan.FromSeconds(1), clock: clock);
        var reads = new List<CardIdentity>();
        int frames = 0;
        reader.CardRead += (_, e) => { lock (reads) { reads.Add(e.Card); } };
        reader.Port.UnsolicitedFrame += (_, _) => Interlocked.Increment(ref frames);
        await reader.StartAsync(CancellationToken.None).WaitAsync(Bound);
        await reader.Port.WaitConnectedAsync(Bound, CancellationToken.None);

        // The reader repeats the frame while the tag lies on it; the clock stands still meanwhile.
        await simulator.PresentTagAsync(0x0102030405, repeats: 8, TimeSpan.FromMilliseconds(20), CancellationToken.None).WaitAsync(Bound);
        await WaitUntilAsync(() => Volatile.Read(ref frames) == 8, "all repeats");
        lock (reads)
        {
            Assert.Single(reads);
        }

        // Away for longer than the window, then back: a new presentation.
        clock.Advance(TimeSpan.FromSeconds(2));
        await simulator.PresentTagAsync(0x0102030405, repeats: 3, TimeSpan.FromMilliseconds(20), CancellationToken.None).WaitAsync(Bound);
        await WaitUntilAsync(() => Volatile.Read(ref frames) == 11, "the second presentation");

        lock (reads)
        {
            Assert.Equal(2, reads.Count);
            Assert.All(reads, r => Assert.Equal("em4100:0102030405", r.Key));
            Assert.Equal("0033752069", reads[0].Display);
        }
    }

    [Fact]
    public async Task DifferentTag_IsReportedAtOnce_AndGarbageIgnored()
    {
        await using var simulator = new Em4100ReaderSimulator();
        await simulator.StartOnPtyAsync(CancellationToken.None).WaitAsync(Bound);
        await using var reader = Em4100Reader.CreateSerial(new SerialPortSettings { Path = simulator.DevicePath! }, repeatWindow: TimeSpan.FromSeconds(5));
        var reads = new List<string>();
        reader.CardRead += (_, e) => { lock (reads) { reads.Add(e.Card.Key); } };
        await reader.StartAsync(CancellationToken.None).WaitAsync(Bound);
        await reader.Port.WaitConnectedAsync(Bound, CancellationToken.None);

        await simulator.PresentTagAsync(0x0A0B0C0D0E, 2, TimeSpan.FromMilliseconds(20), CancellationToken.None).WaitAsync(Bound);
        await simulator.SendUnsolicitedAsync(new byte[] { 0x02, 0x41, 0x42, 0x03, 0xFF }, CancellationToken.None).WaitAsync(Bound);
        await simulator.PresentTagAsync(0x0000000001, 2, TimeSpan.FromMilliseconds(20), CancellationToken.None).WaitAsync(Bound);

        await WaitUntilAsync(() => { lock (reads) { return reads.Count == 2; } }, "two tags");
        lock (reads)
        {
            Assert.Equal(["em4100:0A0B0C0D0E", "em4100:0000000001"], reads);
        }
    }
}
