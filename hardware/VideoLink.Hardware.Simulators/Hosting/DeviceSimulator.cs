using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using VideoLink.Hardware.Framing;
using VideoLink.Hardware.Serial;
using VideoLink.Hardware.Transport;

namespace VideoLink.Hardware.Simulators.Hosting;

/// <summary>Where a simulator answers.</summary>
public enum SimulatorEndpointKind
{
    /// <summary>A pty pair made by socat; the driver opens <see cref="DeviceSimulator.DevicePath"/>.</summary>
    Pty,

    /// <summary>TCP on 127.0.0.1 (port 0 = any free port); see <see cref="DeviceSimulator.Port"/>.</summary>
    Tcp,

    /// <summary>UDP on 127.0.0.1.</summary>
    Udp,
}

/// <summary>Sends bytes back to whoever sent the frame being handled.</summary>
public interface IReplySink
{
    /// <summary>Writes <paramref name="data"/> to the peer.</summary>
    ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);
}

/// <summary>
/// Base of every device simulator: hosts the device on a pty pair, TCP or UDP, cuts received bytes
/// into frames with the protocol's framer, records every byte and frame it received (tests assert
/// them), and plays scripted faults. Subclasses only answer frames.
/// </summary>
public abstract partial class DeviceSimulator : IAsyncDisposable
{
    private readonly IFrameDecoder _framer;
    private readonly object _gate = new();
    private readonly List<byte[]> _frames = [];
    private readonly List<byte> _bytes = [];
    private readonly ConcurrentQueue<SimulatorFault> _faults = new();
    private readonly ConcurrentDictionary<int, IReplySink> _peers = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];
    private readonly SemaphoreSlim _plugLock = new(1, 1);
    private PtyPair? _pty;
    private SerialPortTransport? _serial;
    private Socket? _listener;
    private Socket? _udp;
    private int _nextPeer;
    private int _connectionCount;

    /// <summary>Creates a simulator that frames input with <paramref name="framer"/>.</summary>
    protected DeviceSimulator(IFrameDecoder framer)
    {
        ArgumentNullException.ThrowIfNull(framer);
        _framer = framer;
    }

    /// <summary>Where it is hosted.</summary>
    public SimulatorEndpointKind? EndpointKind { get; private set; }

    /// <summary>Pty path for the driver (pty hosting).</summary>
    public string? DevicePath => _pty?.DevicePath;

    /// <summary>TCP/UDP port on 127.0.0.1.</summary>
    public int Port { get; private set; }

    /// <summary>Delay before a completion for <see cref="SimulatorFault.SlowCompletion"/>.</summary>
    public TimeSpan SlowCompletionDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>When true every frame goes unanswered (a dead device), until set false.</summary>
    public bool Silent { get; set; }

    /// <summary>Bytes to send for <see cref="SimulatorFault.Garbage"/>.</summary>
    public ReadOnlyMemory<byte> GarbageBytes { get; set; } = new byte[] { 0x13, 0x37, 0x00, 0x42, 0x7E };

    /// <summary>Number of live TCP connections (PJLink reconnect tests).</summary>
    public int ConnectionCount => Volatile.Read(ref _connectionCount);

    /// <summary>Every frame received, in order.</summary>
    public IReadOnlyList<byte[]> ReceivedFrames
    {
        get
        {
            lock (_gate)
            {
                return [.. _frames];
            }
        }
    }

    /// <summary>Every byte received, in order, framed or not.</summary>
    public byte[] ReceivedBytes
    {
        get
        {
            lock (_gate)
            {
                return [.. _bytes];
            }
        }
    }

    /// <summary>Forgets what was received.</summary>
    public void ClearReceived()
    {
        lock (_gate)
        {
            _frames.Clear();
            _bytes.Clear();
        }
    }

    /// <summary>Plays <paramref name="fault"/> on the next <paramref name="count"/> frames.</summary>
    public void EnqueueFault(SimulatorFault fault, int count = 1)
    {
        for (int i = 0; i < count; i++)
        {
            _faults.Enqueue(fault);
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> frames have arrived; false on timeout.</summary>
    public async Task<bool> WaitForFramesAsync(int count, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            lock (_gate)
            {
                if (_frames.Count >= count)
                {
                    return true;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sends bytes nobody asked for to every connected peer (events, card frames).</summary>
    public async Task SendUnsolicitedAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        foreach (var peer in _peers.Values)
        {
            await peer.SendAsync(data, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        _udp?.Dispose();
        DropConnections();
        if (_serial is not null)
        {
            await _serial.CloseAsync(CancellationToken.None).ConfigureAwait(false);
        }

        if (_pty is not null)
        {
            await _pty.DisposeAsync().ConfigureAwait(false);
        }

        Task[] loops;
        lock (_gate)
        {
            loops = [.. _loops];
        }

        try
        {
            await Task.WhenAll(loops).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Loops end on their own once their sockets are gone.
        }

        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Answers one frame. <paramref name="fault"/> is the scripted misbehaviour for it (never NoReply/Unplug/Garbage: handled here).</summary>
    protected abstract ValueTask HandleFrameAsync(ReadOnlyMemory<byte> frame, SimulatorFault fault, IReplySink reply, CancellationToken cancellationToken);

    /// <summary>Called when a TCP client connects (PJLink sends its greeting here).</summary>
    protected virtual ValueTask OnConnectedAsync(IReplySink reply, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Schedules a later reply without blocking the receive loop (slow completion).</summary>
    protected void SendLater(IReplySink reply, ReadOnlyMemory<byte> data, TimeSpan delay)
    {
        var token = _stopping.Token;
        Track(Task.Run(
            async () =>
            {
                try
                {
                    await Task.Delay(delay, token).ConfigureAwait(false);
                    await reply.SendAsync(data, token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is OperationCanceledException or TransportException or SocketException or ObjectDisposedException)
                {
                    // The peer went away; a real device would not care either.
                }
            },
            CancellationToken.None));
    }

    private void Track(Task task)
    {
        lock (_gate)
        {
            _loops.RemoveAll(t => t.IsCompleted);
            _loops.Add(task);
        }
    }

    private async Task DispatchAsync(byte[] frame, IReplySink sink, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _frames.Add(frame);
        }

        if (!_faults.TryDequeue(out var fault))
        {
            fault = SimulatorFault.None;
        }

        if (Silent || fault == SimulatorFault.NoReply)
        {
            return;
        }

        if (fault == SimulatorFault.Unplug)
        {
            // Not awaited from the receive loop: unplugging closes the very port this loop reads.
            Track(Task.Run(UnplugAsync, CancellationToken.None));
            return;
        }

        if (fault == SimulatorFault.Garbage)
        {
            await sink.SendAsync(GarbageBytes, cancellationToken).ConfigureAwait(false);
            fault = SimulatorFault.None;
        }

        await HandleFrameAsync(frame, fault, sink, cancellationToken).ConfigureAwait(false);
    }
}
