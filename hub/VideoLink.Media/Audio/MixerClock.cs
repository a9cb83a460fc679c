using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace VideoLink.Media.Audio;

/// <summary>
/// Calls a tick (normally <see cref="ConferenceMixer.Tick"/>) every 20 ms. The number of ticks follows elapsed time, not
/// the timer: on each wake-up the clock runs as many ticks as are due since the start, so timer lateness and coalescing
/// never accumulate as drift. After a stall (GC, an overloaded machine) at most <see cref="MaxCatchUpTicks"/> ticks are
/// run back to back and the rest are skipped, because audio that late is useless. Two modes: <see cref="RunAsync"/> on a
/// <see cref="PeriodicTimer"/> driven by a <see cref="TimeProvider"/>, or manual (<see cref="Advance"/>) for tests.
/// </summary>
public sealed class MixerClock
{
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(20);
    public const int MaxCatchUpTicks = 5;

    private readonly Action _tick;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private TimeSpan _elapsed;
    private long _ticksRun;
    private long _ticksSkipped;
    private long _tickErrors;

    public MixerClock(ConferenceMixer mixer, TimeProvider? timeProvider = null, ILogger<MixerClock>? logger = null)
        : this((mixer ?? throw new ArgumentNullException(nameof(mixer))).Tick, timeProvider, logger)
    {
    }

    public MixerClock(Action tick, TimeProvider? timeProvider = null, ILogger<MixerClock>? logger = null)
    {
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _tick = tick ?? throw new ArgumentNullException(nameof(tick));
        _time = timeProvider ?? TimeProvider.System;
    }

    public long TicksRun => Interlocked.Read(ref _ticksRun);

    /// <summary>Ticks not run because the clock fell more than <see cref="MaxCatchUpTicks"/> behind.</summary>
    public long TicksSkipped => Interlocked.Read(ref _ticksSkipped);

    /// <summary>Ticks that threw (caught: a failing tick must not stop the room's clock).</summary>
    public long TickErrors => Interlocked.Read(ref _tickErrors);

    /// <summary>
    /// Ticks every 20 ms until <paramref name="cancellationToken"/> is cancelled; cancellation ends it normally.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var start = _time.GetTimestamp();
        var startElapsed = _elapsed;
        using var timer = new PeriodicTimer(Period, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                Advance(startElapsed + _time.GetElapsedTime(start) - _elapsed);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // shutdown is not an error (STYLE.md §3)
        }
    }

    /// <summary>Manual mode: time moves on by <paramref name="elapsed"/>; runs the ticks now due.</summary>
    public void Advance(TimeSpan elapsed)
    {
        if (elapsed <= TimeSpan.Zero)
        {
            return;
        }

        var dueBefore = _elapsed.Ticks / Period.Ticks;
        _elapsed += elapsed;
        var due = (_elapsed.Ticks / Period.Ticks) - dueBefore;
        if (due > MaxCatchUpTicks)
        {
            Interlocked.Add(ref _ticksSkipped, due - MaxCatchUpTicks);
            due = MaxCatchUpTicks;
        }

        for (var i = 0; i < due; i++)
        {
            try
            {
                _tick();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Interlocked.Increment(ref _tickErrors);
                _logger.TickFailed(ex);
            }

            Interlocked.Increment(ref _ticksRun);
        }
    }
}
