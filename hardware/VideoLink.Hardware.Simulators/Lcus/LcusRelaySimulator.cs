using VideoLink.Hardware.Lcus;
using VideoLink.Hardware.Simulators.Hosting;

namespace VideoLink.Hardware.Simulators.Lcus;

/// <summary>An LCUS relay board: applies <c>A0 ch op sum</c>, never answers.</summary>
public sealed class LcusRelaySimulator : DeviceSimulator
{
    private readonly bool[] _relays = new bool[9];

    /// <summary>Creates a board with 8 open relays.</summary>
    public LcusRelaySimulator()
        : base(LcusFramer.Instance)
    {
    }

    /// <summary>Whether relay <paramref name="channel"/> (1–8) is closed.</summary>
    public bool IsOn(int channel) => Volatile.Read(ref _relays[channel]);

    /// <inheritdoc />
    protected override ValueTask HandleFrameAsync(ReadOnlyMemory<byte> frame, SimulatorFault fault, IReplySink reply, CancellationToken cancellationToken)
    {
        var f = frame.Span;
        if (f[1] is >= 1 and <= 8 && fault != SimulatorFault.IgnoreCommand)
        {
            Volatile.Write(ref _relays[f[1]], f[2] == 1);
        }

        return ValueTask.CompletedTask;
    }
}
