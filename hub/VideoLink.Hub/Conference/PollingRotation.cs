namespace VideoLink.Hub.Conference;

/// <summary>
/// 轮巡: shows the chosen sites one after another, each for <see cref="Interval"/>. Sites that left are skipped;
/// when none is left the rotation is over. Time is passed in (milliseconds on a monotonic clock), so it is unit-tested.
/// </summary>
public sealed class PollingRotation
{
    private readonly List<Guid> _sites;
    private int _index;
    private long _shownSince;

    public PollingRotation(IEnumerable<Guid> sites, TimeSpan interval, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(sites);
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.FromSeconds(1));
        _sites = sites.Distinct().ToList();
        Interval = interval;
        _shownSince = nowMs;
    }

    public TimeSpan Interval { get; }

    public IReadOnlyList<Guid> Sites => _sites;

    public bool IsOver => _sites.Count == 0;

    public Guid? Current => _sites.Count == 0 ? null : _sites[_index];

    /// <summary>Moves on when the interval has passed; true when <see cref="Current"/> changed.</summary>
    public bool Advance(long nowMs)
    {
        if (_sites.Count < 2 || nowMs - _shownSince < (long)Interval.TotalMilliseconds)
        {
            return false;
        }

        _index = (_index + 1) % _sites.Count;
        _shownSince = nowMs;
        return true;
    }

    /// <summary>A site left: it drops out of the rotation (the next one is shown at once if it was current).</summary>
    public bool Remove(Guid legId, long nowMs)
    {
        var at = _sites.IndexOf(legId);
        if (at < 0)
        {
            return false;
        }

        _sites.RemoveAt(at);
        var wasCurrent = at == _index;
        if (at < _index || _index >= _sites.Count)
        {
            _index = _sites.Count == 0 ? 0 : (_index - (at < _index ? 1 : 0)) % _sites.Count;
        }

        if (wasCurrent)
        {
            _shownSince = nowMs;
        }

        return wasCurrent;
    }
}
