using System.Globalization;
using VideoLink.Hardware.Framing;

namespace VideoLink.Hardware.Tests;

/// <summary>Timeouts and helpers shared by the tests: every await is bounded, conditions are polled with a deadline.</summary>
internal static class TestSupport
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    public static byte[] Hex(string hex) =>
        Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

    public static string ToHex(ReadOnlySpan<byte> bytes) =>
        string.Join(' ', bytes.ToArray().Select(b => b.ToString("X2", CultureInfo.InvariantCulture)));

    public static List<string> FramesOf(IFrameDecoder framer, params byte[][] chunks)
    {
        var buffer = new FrameBuffer(framer);
        var frames = new List<string>();
        foreach (var chunk in chunks)
        {
            buffer.Append(chunk);
            while (buffer.TryTakeFrame(out var frame))
            {
                frames.Add(ToHex(frame));
            }
        }

        return frames;
    }

    public static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Bound);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            await Task.Delay(10);
        }
    }
}

/// <summary>A clock the test moves by hand, so de-duplication windows do not depend on scheduling.</summary>
internal sealed class ManualClock : TimeProvider
{
    private long _ticks = TimeSpan.TicksPerDay;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override DateTimeOffset GetUtcNow() => new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(GetTimestamp());

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
