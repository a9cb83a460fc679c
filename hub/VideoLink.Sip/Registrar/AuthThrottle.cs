using System.Collections.Concurrent;
using System.Net;

namespace VideoLink.Sip.Registrar;

/// <summary>Counts failed authentications per source address and locks a source out for a while (issue 4, item 5).</summary>
internal sealed class AuthThrottle(SipOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<IPAddress, Window> _windows = new();

    public bool IsThrottled(IPAddress source)
    {
        if (!_windows.TryGetValue(source, out var w))
        {
            return false;
        }
        if (time.GetUtcNow() - w.Start > options.FailedAuthWindow)
        {
            _windows.TryRemove(new KeyValuePair<IPAddress, Window>(source, w));
            return false;
        }
        return w.Failures >= options.MaxFailedAuthPerSource;
    }

    /// <summary>Records a failure; returns true when this one crossed the limit.</summary>
    public bool RecordFailure(IPAddress source)
    {
        var now = time.GetUtcNow();
        var w = _windows.AddOrUpdate(source, _ => new Window(now, 1),
            (_, old) => now - old.Start > options.FailedAuthWindow ? new Window(now, 1) : old with { Failures = old.Failures + 1 });
        if (_windows.Count > 100_000)
        {
            foreach (var kv in _windows)
            {
                if (now - kv.Value.Start > options.FailedAuthWindow)
                {
                    _windows.TryRemove(kv);
                }
            }
        }
        return w.Failures == options.MaxFailedAuthPerSource;
    }

    public void RecordSuccess(IPAddress source) => _windows.TryRemove(source, out _);

    private sealed record Window(DateTimeOffset Start, int Failures);
}
