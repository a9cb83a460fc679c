using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using VideoLink.Hardware.Framing;
using VideoLink.Hardware.Transport;

namespace VideoLink.Hardware.Queue;

/// <summary>
/// One device link with its request queue: one request in flight, highest priority first, a reply
/// timer restarted by progress replies (VISCA ACK), busy replies resent after a pause, timeouts
/// retried up to a limit, and the link re-opened with back-off when it is lost. Frames no request
/// claims are raised as <see cref="UnsolicitedFrame"/> (card swipes, VISCA network change).
/// </summary>
public sealed partial class DevicePort : IAsyncDisposable
{
    private readonly IFrameDecoder _framer;
    private readonly DevicePortOptions _options;
    private readonly ILogger _logger;
    private readonly PriorityQueue<Pending, (int Priority, long Order)> _queue = new();
    private readonly SemaphoreSlim _queueSignal = new(0);
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private readonly Channel<byte[]> _frames = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly object _gate = new();
    private TaskCompletionSource _connected = NewSignal();
    private CancellationTokenSource? _connection;
    private Task _pump = Task.CompletedTask;
    private Task? _worker;
    private Task? _supervisor;
    private long _order;
    private volatile bool _claiming;
    private int _consecutiveTimeouts;
    private volatile DeviceHealth _health;
    private long _lastSeenTicks;

    /// <summary>Creates a port over <paramref name="transport"/>; nothing runs until <see cref="Start"/> or the first request.</summary>
    public DevicePort(IDeviceTransport transport, IFrameDecoder framer, DevicePortOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(framer);
        Transport = transport;
        _framer = framer;
        _options = options ?? new DevicePortOptions();
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Frames no request claimed.</summary>
    public event EventHandler<DeviceFrameEventArgs>? UnsolicitedFrame;

    /// <summary>Health changes (Ok / Warning / Failed).</summary>
    public event EventHandler<DeviceHealthChangedEventArgs>? HealthChanged;

    /// <summary>The byte link.</summary>
    public IDeviceTransport Transport { get; }

    /// <summary>Runs on every fresh link before requests flow (PJLink greeting and auth, VISCA-IP sequence reset).</summary>
    public Func<PortSession, CancellationToken, Task>? Handshake { get; init; }

    /// <summary>Current health.</summary>
    public DeviceHealth Health => _health;

    /// <summary>When the device last sent a frame.</summary>
    public DateTimeOffset? LastSeen
    {
        get
        {
            long ticks = Interlocked.Read(ref _lastSeenTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    /// <summary>True while the link is up.</summary>
    public bool IsConnected => _connected.Task.IsCompleted && Transport.State == TransportState.Open;

    internal ReadOnlyMemory<byte> NextPayloadPrefix { get; set; }

    private string Endpoint => Transport.Description;

    /// <summary>Starts the worker (and, for persistent links, the connection supervisor). Idempotent.</summary>
    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
            if (_worker is not null)
            {
                return;
            }

            var token = _stopping.Token;
            _worker = Task.Run(() => WorkAsync(token), CancellationToken.None);
            if (_options.Mode == ConnectionMode.Persistent)
            {
                _supervisor = Task.Run(() => SuperviseAsync(token), CancellationToken.None);
            }
        }
    }

    /// <summary>Waits until the link is up, or throws <see cref="TimeoutException"/>.</summary>
    public Task WaitConnectedAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Start();
        return Volatile.Read(ref _connected).Task.WaitAsync(timeout, cancellationToken);
    }

    /// <summary>Queues <paramref name="request"/> and returns its outcome; failures are results, not exceptions.</summary>
    public Task<DeviceResult> SendAsync(DeviceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Start();
        var pending = new Pending(request, cancellationToken);
        lock (_gate)
        {
            _queue.Enqueue(pending, (-(int)request.Priority, _order++));
        }

        _queueSignal.Release();
        return pending.Completion.Task;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            _stopping.Cancel();
        }

        var running = new List<Task> { _pump };
        if (_worker is not null)
        {
            running.Add(_worker);
        }

        if (_supervisor is not null)
        {
            running.Add(_supervisor);
        }

        await Transport.CloseAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A stuck device call must not hang shutdown; the tasks end with the process.
        }

        lock (_gate)
        {
            while (_queue.TryDequeue(out var pending, out _))
            {
                pending.Completion.TrySetResult(new DeviceResult(DeviceResultStatus.Cancelled, ReadOnlyMemory<byte>.Empty, "port disposed", 0));
            }
        }

        _connection?.Dispose();
        _stopping.Dispose();
    }

    internal async Task<byte[]?> ReadFrameAsync(TimeSpan timeout, CancellationToken connectionToken, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(connectionToken, cancellationToken);
        wait.CancelAfter(timeout);
        try
        {
            return await _frames.Reader.ReadAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            if (connectionToken.IsCancellationRequested)
            {
                throw new TransportClosedException($"{Endpoint} was lost.");
            }

            return null;
        }
    }
}
