using VideoLink.Hardware.PelcoD;
using VideoLink.Hardware.Simulators.Hosting;

namespace VideoLink.Hardware.Simulators.PelcoD;

/// <summary>A Pelco-D receiver: silent (the protocol has no replies), it records and applies commands.</summary>
public sealed class PelcoDCameraSimulator(int address = 1) : DeviceSimulator(PelcoDFramer.Instance)
{
    /// <summary>Receiver address.</summary>
    public int Address { get; } = address;

    /// <summary>The preset last called.</summary>
    public int? LastRecalledPreset { get; private set; }

    /// <summary>Command 2 of the last motion command (0 = stopped).</summary>
    public int MotionBits { get; private set; }

    /// <inheritdoc />
    protected override ValueTask HandleFrameAsync(ReadOnlyMemory<byte> frame, SimulatorFault fault, IReplySink reply, CancellationToken cancellationToken)
    {
        var f = frame.Span;
        if (f[1] != Address || fault == SimulatorFault.IgnoreCommand)
        {
            return ValueTask.CompletedTask;
        }

        if (f[2] == 0 && f[3] == 0x07)
        {
            LastRecalledPreset = f[5];
        }
        else if (f[2] == 0 && (f[3] & 0x01) == 0)
        {
            MotionBits = f[3];
        }

        return ValueTask.CompletedTask;
    }
}
