using System.Runtime.InteropServices;
using VideoLink.Hardware.Evdev;
using VideoLink.Hardware.Serial;

namespace VideoLink.Hardware.Simulators.Evdev;

/// <summary>
/// Stands in for <c>/dev/input/eventN</c>: a FIFO the driver opens like an input node, into which
/// the simulator writes <c>struct input_event</c> records (press, release, EV_SYN) as a keyboard-wedge
/// reader or a USB call button would. Closing the writer is an unplug.
/// </summary>
public sealed class EvdevDeviceSimulator : IAsyncDisposable
{
    private FileStream? _writer;

    private EvdevDeviceSimulator(string path)
    {
        DevicePath = path;
    }

    /// <summary>The node the driver opens.</summary>
    public string DevicePath { get; }

    /// <summary>Creates the FIFO under <c>/tmp</c>.</summary>
    public static EvdevDeviceSimulator Create()
    {
        string path = Path.Combine(Path.GetTempPath(), $"videolink-evdev-{Guid.NewGuid():N}"[..32]);
        if (LibC.MkFifo(path, Convert.ToUInt32("600", 8)) != 0)
        {
            throw new IOException($"mkfifo {path} failed: {LibC.Describe(Marshal.GetLastPInvokeError())}");
        }

        return new EvdevDeviceSimulator(path);
    }

    /// <summary>Types <paramref name="text"/> (digits, X, '\n' for Enter) as key press/release pairs.</summary>
    public async Task TypeAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (char c in text)
        {
            await PressAsync(KeyCodes.ForCharacter(c), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Presses and releases key <paramref name="code"/> (with EV_SYN after each).</summary>
    public async Task PressAsync(ushort code, CancellationToken cancellationToken)
    {
        var writer = await OpenWriterAsync(cancellationToken).ConfigureAwait(false);
        var now = DateTimeOffset.UtcNow;
        long seconds = now.ToUnixTimeSeconds();
        long micros = (now.ToUnixTimeMilliseconds() % 1000) * 1000;
        var buffer = new byte[InputEvent.Size * 4];
        new InputEvent(seconds, micros, InputEvent.EvKey, code, 1).Write(buffer);
        new InputEvent(seconds, micros, InputEvent.EvSyn, 0, 0).Write(buffer.AsSpan(InputEvent.Size));
        new InputEvent(seconds, micros, InputEvent.EvKey, code, 0).Write(buffer.AsSpan(2 * InputEvent.Size));
        new InputEvent(seconds, micros, InputEvent.EvSyn, 0, 0).Write(buffer.AsSpan(3 * InputEvent.Size));
        await writer.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Unplug: closes the writer; the reader sees a hang-up.</summary>
    public async Task UnplugAsync()
    {
        var writer = _writer;
        _writer = null;
        if (writer is not null)
        {
            await writer.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await UnplugAsync().ConfigureAwait(false);
        File.Delete(DevicePath);
    }

    private async Task<FileStream> OpenWriterAsync(CancellationToken cancellationToken)
    {
        if (_writer is not null)
        {
            return _writer;
        }

        // Opening a FIFO for writing waits for a reader: the driver must have opened its end.
        _writer = await Task.Run(() => new FileStream(DevicePath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1), cancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        return _writer;
    }
}
