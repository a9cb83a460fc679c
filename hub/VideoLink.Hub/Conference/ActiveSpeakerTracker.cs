namespace VideoLink.Hub.Conference;

/// <summary>
/// Voice activation with hysteresis: a leg becomes the active speaker only after it has been the loudest — by
/// <see cref="Margin"/> over the current speaker and above <see cref="Threshold"/> — for <see cref="HoldMilliseconds"/>
/// without a break, and never sooner than <see cref="MinDwellMilliseconds"/> after the last switch. A cough does not
/// move the picture; a new speaker gets it within about a second. Levels are 0..1 (RMS of the decoded frame, full
/// scale = 1). Not thread-safe: fed from the room's tick.
/// </summary>
public sealed class ActiveSpeakerTracker
{
    public const double DefaultThreshold = 0.01;
    public const double DefaultMargin = 1.5;
    public const long DefaultHoldMilliseconds = 800;
    public const long DefaultMinDwellMilliseconds = 2000;

    private Guid? _candidate;
    private long _candidateSince;
    private long _switchedAt = long.MinValue / 2;

    public double Threshold { get; init; } = DefaultThreshold;

    public double Margin { get; init; } = DefaultMargin;

    public long HoldMilliseconds { get; init; } = DefaultHoldMilliseconds;

    public long MinDwellMilliseconds { get; init; } = DefaultMinDwellMilliseconds;

    public Guid? Current { get; private set; }

    /// <summary>Feeds one observation of every leg's level at <paramref name="nowMs"/>; true when <see cref="Current"/> changed.</summary>
    public bool Update(IReadOnlyDictionary<Guid, double> levels, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(levels);
        Guid? loudest = null;
        var loudestLevel = 0.0;
        foreach (var (leg, level) in levels)
        {
            if (level > loudestLevel)
            {
                loudest = leg;
                loudestLevel = level;
            }
        }

        if (Current is { } current && !levels.ContainsKey(current))
        {
            Current = null; // the speaker left
        }

        var currentLevel = Current is { } c && levels.TryGetValue(c, out var l) ? l : 0.0;
        var challenger = loudest is { } x && x != Current && loudestLevel >= Threshold && loudestLevel >= currentLevel * Margin ? loudest : null;
        if (challenger is null)
        {
            _candidate = null;
            return false;
        }

        if (challenger != _candidate)
        {
            _candidate = challenger;
            _candidateSince = nowMs;
        }

        var held = nowMs - _candidateSince >= HoldMilliseconds;
        var dwelt = Current is null || nowMs - _switchedAt >= MinDwellMilliseconds;
        if (!held || !dwelt)
        {
            return false;
        }

        Current = challenger;
        _switchedAt = nowMs;
        _candidate = null;
        return true;
    }

    public void Forget(Guid legId)
    {
        if (Current == legId)
        {
            Current = null;
        }

        if (_candidate == legId)
        {
            _candidate = null;
        }
    }
}
