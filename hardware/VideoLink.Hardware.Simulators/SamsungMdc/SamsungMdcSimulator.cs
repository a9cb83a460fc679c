using VideoLink.Hardware.SamsungMdc;
using VideoLink.Hardware.Simulators.Hosting;

namespace VideoLink.Hardware.Simulators.SamsungMdc;

/// <summary>A Samsung display speaking MDC: ACKs power, volume, mute and input; NAKs what it does not know.</summary>
public sealed class SamsungMdcSimulator(int displayId = 1) : DeviceSimulator(SamsungMdcFramer.Instance)
{
    /// <summary>Display id.</summary>
    public int DisplayId { get; } = displayId;

    /// <summary>Power.</summary>
    public bool PowerOn { get; set; }

    /// <summary>Volume 0–100.</summary>
    public int Volume { get; private set; } = 20;

    /// <summary>Mute.</summary>
    public bool Muted { get; private set; }

    /// <summary>Input source code (0x21 = HDMI1).</summary>
    public int InputSource { get; private set; } = 0x21;

    /// <inheritdoc />
    protected override async ValueTask HandleFrameAsync(ReadOnlyMemory<byte> frame, SimulatorFault fault, IReplySink reply, CancellationToken cancellationToken)
    {
        var f = frame.ToArray();
        byte command = f[1];
        byte id = f[2];
        if (id != DisplayId)
        {
            return;
        }

        var data = f.AsSpan(4, f[3]);
        if (fault is SimulatorFault.NotExecutable or SimulatorFault.BufferFull)
        {
            await reply.SendAsync(SamsungMdcFramer.Build(0xFF, id, [(byte)'N', command, 0x01]), cancellationToken).ConfigureAwait(false);
            return;
        }

        bool apply = fault != SimulatorFault.IgnoreCommand;
        byte[] answer;
        switch (command)
        {
            case 0x11:
                if (data.Length == 1 && apply)
                {
                    PowerOn = data[0] == 1;
                }

                answer = [(byte)'A', command, PowerOn ? (byte)1 : (byte)0];
                break;
            case 0x12:
                if (data.Length == 1 && apply)
                {
                    Volume = data[0];
                }

                answer = [(byte)'A', command, (byte)Volume];
                break;
            case 0x13:
                if (data.Length == 1 && apply)
                {
                    Muted = data[0] == 1;
                }

                answer = [(byte)'A', command, Muted ? (byte)1 : (byte)0];
                break;
            case 0x14:
                if (data.Length == 1 && apply)
                {
                    InputSource = data[0];
                }

                answer = [(byte)'A', command, (byte)InputSource];
                break;
            case 0x00:
                answer = [(byte)'A', command, PowerOn ? (byte)1 : (byte)0, (byte)Volume, Muted ? (byte)1 : (byte)0, (byte)InputSource, 0x10, 0, 0];
                break;
            default:
                answer = [(byte)'N', command, 0x00];
                break;
        }

        var packet = SamsungMdcFramer.Build(0xFF, id, answer);
        if (fault == SimulatorFault.SlowCompletion)
        {
            SendLater(reply, packet, SlowCompletionDelay);
            return;
        }

        await reply.SendAsync(packet, cancellationToken).ConfigureAwait(false);
    }
}
