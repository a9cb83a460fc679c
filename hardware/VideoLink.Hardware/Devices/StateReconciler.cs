using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using VideoLink.Hardware.Queue;

namespace VideoLink.Hardware.Devices;

/// <summary>Reconciler timing.</summary>
public sealed record ReconcilerOptions
{
    /// <summary>How often to poll the reported state.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Re-sends per requested value before giving up (until the next request).</summary>
    public int MaxApplyAttempts { get; init; } = 5;
}

/// <summary>
/// Keeps a requested state apart from the state the device reports, and re-sends the request until
/// they agree: a panel that acknowledged "power on" while still booting, or a projector switched off
/// by hand, is brought back to what the room needs. Transitional states (lamp warming) wait.
/// </summary>
/// <typeparam name="TState">The state, e.g. <see cref="PowerState"/>.</typeparam>
public sealed partial class StateReconciler<TState> : IAsyncDisposable
    where TState : struct, Enum
{
    private readonly Func<CancellationToken, Task<TState?>> _read;
    private readonly Func<TState, CancellationToken, Task<DeviceResult>> _apply;
    private readonly Func<TState, bool> _isTransitional;
    private readonly ReconcilerOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly SemaphoreSlim _round = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;
    private int _attempts;

    /// <summary>Creates a reconciler from a read and an apply function.</summary>
    public StateReconciler(
        Func<CancellationToken, Task<TState?>> read,
        Func<TState, CancellationToken, Task<DeviceResult>> apply,
        ReconcilerOptions? options = null,
        Func<TState, bool>? isTransitional = null,
        ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(apply);
        _read = read;
        _apply = apply;
        _options = options ?? new ReconcilerOptions();
        _isTransitional = isTransitional ?? (static _ => false);
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Raised after every round that changed <see cref="Reported"/> or <see cref="InSync"/>.</summary>
    public event EventHandler? Changed;

    /// <summary>What the room wants, or null when nothing is requested.</summary>
    public TState? Desired { get; private set; }

    /// <summary>What the device last said, or null before the first answer.</summary>
    public TState? Reported { get; private set; }

    /// <summary>True when nothing is requested or the device reports the requested state.</summary>
    public bool InSync => Desired is null || (Reported is { } reported && EqualityComparer<TState>.Default.Equals(reported, Desired.Value));

    /// <summary>True when the re-send budget for the current request is spent.</summary>
    public bool GaveUp => Volatile.Read(ref _attempts) >= _options.MaxApplyAttempts && !InSync;

    /// <summary>A display's power, reconciled with power commands and power queries.</summary>
    public static StateReconciler<PowerState> ForPower(Func<bool, CancellationToken, Task<DeviceResult>> setPower, Func<CancellationToken, Task<PowerQueryResult>> queryPower, ReconcilerOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(setPower);
        ArgumentNullException.ThrowIfNull(queryPower);
        return new StateReconciler<PowerState>(
            async ct =>
            {
                var query = await queryPower(ct).ConfigureAwait(false);
                return query.Result.IsSuccess ? query.State : null;
            },
            (state, ct) => setPower(state == PowerState.On, ct),
            options,
            static state => state is PowerState.WarmingUp or PowerState.Cooling,
            logger);
    }

    /// <summary>Sets the requested state and starts a round at once.</summary>
    public void Request(TState desired)
    {
        Desired = desired;
        Interlocked.Exchange(ref _attempts, 0);
        _wake.Release();
    }

    /// <summary>Starts polling in the background until disposed.</summary>
    public void Start()
    {
        if (_loop.IsCompleted)
        {
            // Runs until dispose; every round catches its own failures.
            _loop = Task.Run(() => LoopAsync(_stopping.Token), CancellationToken.None);
        }
    }

    /// <summary>One round: read, and re-send if the device disagrees. Returns <see cref="InSync"/>.</summary>
    public async Task<bool> ReconcileOnceAsync(CancellationToken cancellationToken)
    {
        await _round.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            bool wasInSync = InSync;
            var before = Reported;
            var reported = await _read(cancellationToken).ConfigureAwait(false);
            if (reported is not null)
            {
                Reported = reported;
            }

            if (Desired is { } desired && !InSync && reported is { } now && !_isTransitional(now)
                && Interlocked.Increment(ref _attempts) <= _options.MaxApplyAttempts)
            {
                Log.Reapplying(_logger, typeof(TState).Name, desired.ToString(), now.ToString(), _attempts);
                var result = await _apply(desired, cancellationToken).ConfigureAwait(false);
                if (result.IsSuccess)
                {
                    Reported = await _read(cancellationToken).ConfigureAwait(false) ?? Reported;
                }
            }

            if (wasInSync != InSync || !Nullable.Equals(before, Reported))
            {
                Changed?.Invoke(this, EventArgs.Empty);
            }

            return InSync;
        }
        finally
        {
            _round.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A stuck device call; the loop ends with the process.
        }
    }

    private async Task LoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await ReconcileOnceAsync(stopping).ConfigureAwait(false);

                // Poll slowly when in sync, quickly while re-sending.
                var wait = InSync || GaveUp ? _options.PollInterval : TimeSpan.FromTicks(Math.Min(_options.PollInterval.Ticks, TimeSpan.FromSeconds(1).Ticks));
                await _wake.WaitAsync(wait, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.RoundFailed(_logger, ex);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "{State}: device reports {Reported}, requested {Desired}; re-sending (attempt {Attempt})")]
        public static partial void Reapplying(ILogger logger, string state, string desired, string reported, int attempt);

        [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Reconcile round failed")]
        public static partial void RoundFailed(ILogger logger, Exception exception);
    }
}
