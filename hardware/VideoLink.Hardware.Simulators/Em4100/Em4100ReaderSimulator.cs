using VideoLink.Hardware.Em4100;
using VideoLink.Hardware.Simulators.Hosting;

namespace VideoLink.Hardware.Simulators.Em4100;

/// <summary>An RDM6300-style reader: a presented tag is sent repeatedly, like a card lying on the reader.</summary>
public sealed class Em4100ReaderSimulator : DeviceSimulator
{
    /// <summary>Creates the reader.</summary>
    public Em4100ReaderSimulator()
        : base(Em4100Framer.Instance)
    {
    }

    /// <summary>Sends the frame for <paramref name="tag"/> (5 bytes, big-endian in a ulong) <paramref name="repeats"/> times.</summary>
    public async Task PresentTagAsync(ulong tag, int repeats, TimeSpan interval, CancellationToken cancellationToken)
    {
        var bytes = new byte[5];
        for (int i = 0; i < 5; i++)
        {
            bytes[i] = (byte)(tag >> (8 * (4 - i)));
        }

        var frame = Em4100Framer.Build(bytes);
        for (int i = 0; i < repeats; i++)
        {
            await SendUnsolicitedAsync(frame, cancellationToken).ConfigureAwait(false);
            if (i + 1 < repeats)
            {
                // The reader's own repeat rate, not a wait for a condition.
                await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    protected override ValueTask HandleFrameAsync(ReadOnlyMemory<byte> frame, SimulatorFault fault, IReplySink reply, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;
}
