using System.Runtime.InteropServices;
using System.Threading.Channels;
using VideoLink.Hardware.Transport;

namespace VideoLink.Hardware.Serial;

/// <summary>
/// A character device read through a non-blocking descriptor by one background thread that waits in
/// poll(2) with a short slice so it notices a close. An unplugged USB adapter shows up as
/// POLLHUP/POLLERR or read() failing (EIO, ENODEV), which moves the transport to
/// <see cref="TransportState.Disconnected"/>. Re-opening with back-off is the caller's job
/// (<see cref="Queue.DevicePort"/> does it).
/// </summary>
public abstract class PollingFdTransport : TransportBase
{
    private const int PollSliceMs = 100;
    private const int ReadChunk = 4096;

    private readonly string _path;
    private readonly object _gate = new();
    private int _fd = -1;
    private Thread? _reader;
    private volatile bool _closing;
    private Channel<byte[]> _incoming = NewChannel();
    private byte[]? _pending;
    private int _pendingOffset;

    /// <summary>Creates a transport for the file at <paramref name="path"/>; nothing is opened yet.</summary>
    protected PollingFdTransport(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _path = path;
    }

    /// <summary>The device path.</summary>
    public string Path => _path;

    /// <summary>open(2) flags.</summary>
    protected virtual int OpenFlags => LibC.ORdWr | LibC.ONoCtty | LibC.ONonBlock | LibC.OCloExec;

    /// <inheritdoc />
    public override async ValueTask OpenAsync(CancellationToken cancellationToken)
    {
        await CloseCoreAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        SetState(TransportState.Opening);
        int fd = LibC.Open(_path, OpenFlags);
        if (fd < 0)
        {
            var error = new TransportException($"Cannot open {_path}: {LibC.Describe(Marshal.GetLastPInvokeError())}");
            SetState(TransportState.Disconnected, error);
            throw error;
        }

        try
        {
            Configure(fd);
        }
        catch (TransportException ex)
        {
            LibC.Close(fd);
            SetState(TransportState.Disconnected, ex);
            throw;
        }

        lock (_gate)
        {
            _fd = fd;
            _closing = false;
            _incoming = NewChannel();
            _pending = null;
            _reader = new Thread(ReadLoop) { IsBackground = true, Name = $"serial {_path}" };
            _reader.Start(fd);
        }

        SetState(TransportState.Open);
    }

    /// <inheritdoc />
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ThrowIfNotOpen();
        int fd = _fd;
        while (!data.IsEmpty)
        {
            cancellationToken.ThrowIfCancellationRequested();
            nint written = WriteOnce(fd, data.Span);

            if (written >= 0)
            {
                data = data[(int)written..];
                continue;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno == LibC.EIntr)
            {
                continue;
            }

            if (errno == LibC.EAgain)
            {
                // Output buffer full (a slow 2400-baud line): wait for room without blocking a thread.
                await Task.Delay(5, cancellationToken).ConfigureAwait(false);
                continue;
            }

            throw Lost(errno);
        }
    }

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (_pending is null)
        {
            var incoming = _incoming;
            try
            {
                _pending = await incoming.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (ChannelClosedException ex)
            {
                throw ex.InnerException as TransportClosedException
                    ?? new TransportClosedException($"{Description} is {State}.");
            }

            _pendingOffset = 0;
        }

        int count = Math.Min(buffer.Length, _pending.Length - _pendingOffset);
        _pending.AsSpan(_pendingOffset, count).CopyTo(buffer.Span);
        _pendingOffset += count;
        if (_pendingOffset == _pending.Length)
        {
            _pending = null;
        }

        return count;
    }

    /// <inheritdoc />
    public override async ValueTask CloseAsync(CancellationToken cancellationToken)
    {
        await CloseCoreAsync().ConfigureAwait(false);
        SetState(TransportState.Closed);
    }

    private static Channel<byte[]> NewChannel() =>
        Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    private static unsafe nint WriteOnce(int fd, ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            return LibC.Write(fd, p, data.Length);
        }
    }

    /// <summary>Prepares a freshly opened descriptor (termios for a serial port).</summary>
    /// <exception cref="TransportException">The file cannot be used.</exception>
    protected abstract void Configure(int fd);

    private unsafe void ReadLoop(object? state)
    {
        int fd = (int)state!;
        var writer = _incoming.Writer;
        byte* buffer = stackalloc byte[ReadChunk];
        var pollFd = new LibC.PollFd { Fd = fd, Events = LibC.PollIn };
        while (!_closing)
        {
            pollFd.REvents = 0;
            int ready = LibC.Poll(&pollFd, 1, PollSliceMs);
            if (ready < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == LibC.EIntr)
                {
                    continue;
                }

                Fail(writer, errno);
                return;
            }

            if (ready == 0 || _closing)
            {
                continue;
            }

            if ((pollFd.REvents & LibC.PollIn) != 0)
            {
                nint n = LibC.Read(fd, buffer, ReadChunk);
                if (n > 0)
                {
                    writer.TryWrite(new ReadOnlySpan<byte>(buffer, (int)n).ToArray());
                    continue;
                }

                int errno = n < 0 ? Marshal.GetLastPInvokeError() : LibC.EIo;
                if (n < 0 && (errno == LibC.EAgain || errno == LibC.EIntr))
                {
                    continue;
                }

                // read() == 0 on a tty or EIO: the other side hung up (USB adapter unplugged).
                Fail(writer, errno);
                return;
            }

            if ((pollFd.REvents & (LibC.PollHup | LibC.PollErr | LibC.PollNval)) != 0)
            {
                Fail(writer, LibC.EIo);
                return;
            }
        }
    }

    private void Fail(ChannelWriter<byte[]> writer, int errno)
    {
        if (_closing)
        {
            writer.TryComplete();
            return;
        }

        var error = Lost(errno);
        writer.TryComplete(error);
    }

    private TransportClosedException Lost(int errno)
    {
        var error = new TransportClosedException($"{Description} was lost: {LibC.Describe(errno)}");
        if (State == TransportState.Open)
        {
            SetState(TransportState.Disconnected, error);
        }

        return error;
    }

    private async ValueTask CloseCoreAsync()
    {
        Thread? reader;
        int fd;
        lock (_gate)
        {
            _closing = true;
            reader = _reader;
            fd = _fd;
            _reader = null;
            _fd = -1;
        }

        if (reader is not null && reader != Thread.CurrentThread)
        {
            // The reader wakes from poll() within one slice; the fd is closed only after it exits so
            // the number cannot be reused under it.
            var deadline = DateTime.UtcNow.AddSeconds(2);
            while (reader.IsAlive && DateTime.UtcNow < deadline)
            {
                await Task.Delay(10).ConfigureAwait(false);
            }
        }

        if (fd >= 0)
        {
            LibC.Close(fd);
        }

        _incoming.Writer.TryComplete(new TransportClosedException($"{Description} was closed."));
    }
}
