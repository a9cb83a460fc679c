using VideoLink.Hardware.Serial;
using VideoLink.Hardware.Transport;

namespace VideoLink.Hardware.Evdev;

/// <summary>
/// A <c>/dev/input/event*</c> node opened read-only and non-blocking, optionally grabbed (EVIOCGRAB)
/// so a card reader's digits do not also land in the kiosk browser. Unplug = read() fails with ENODEV.
/// </summary>
public sealed class InputDeviceTransport(string path, bool grab) : PollingFdTransport(path)
{
    // _IOW('E', 0x90, int), linux/input.h
    private const uint EvIocGrab = 0x40044590;

    /// <inheritdoc />
    public override string Description => $"evdev:{Path}";

    /// <inheritdoc />
    protected override int OpenFlags => LibC.ORdOnly | LibC.ONonBlock | LibC.OCloExec;

    /// <inheritdoc />
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Input devices are read-only.");

    /// <inheritdoc />
    protected override void Configure(int fd)
    {
        if (grab)
        {
            // Fails on a FIFO (tests, demo) and when another process holds the grab; reading still works.
            _ = LibC.Ioctl(fd, EvIocGrab, 1);
        }
    }
}
