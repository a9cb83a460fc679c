using System.Collections.Concurrent;
using VideoLink.Sip.Transport;

namespace VideoLink.Sip.Transactions;

/// <summary>
/// Non-INVITE server transactions in the Completed state over UDP (RFC 3261 §17.2.2): key → final response bytes and
/// target, kept for Timer J. Every entry lives equally long, so entries expire in the order they were added and one
/// periodic sweep of a FIFO replaces a timer per transaction.
/// </summary>
internal sealed class CompletedTransactions : IDisposable
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Entry> _order = new();
    private readonly TimeProvider _time;
    private readonly long _lifetimeTicks;
    private readonly ITimer _sweep;
    private int _sweeping;

    public CompletedTransactions(TimeProvider time, TimeSpan lifetime, TimeSpan sweepInterval)
    {
        _time = time;
        _lifetimeTicks = (long)(lifetime.TotalSeconds * time.TimestampFrequency);
        _sweep = time.CreateTimer(static s => ((CompletedTransactions)s!).Sweep(), this, sweepInterval, sweepInterval);
    }

    public int Count => _entries.Count;

    public void Add(string key, byte[] response, SipRemote target)
    {
        var entry = new Entry(key, response, target, _time.GetTimestamp() + _lifetimeTicks);
        _entries[key] = entry;
        _order.Enqueue(entry);
    }

    public bool TryGetResponse(string key, out byte[] response, out SipRemote target)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            response = entry.Response;
            target = entry.Target;
            return true;
        }
        response = [];
        target = null!;
        return false;
    }

    private void Sweep()
    {
        if (Interlocked.Exchange(ref _sweeping, 1) != 0)
        {
            return; // the previous sweep is still running
        }
        try
        {
            long now = _time.GetTimestamp();
            while (_order.TryPeek(out var oldest) && oldest.ExpiresAt <= now && _order.TryDequeue(out oldest))
            {
                _entries.TryRemove(new KeyValuePair<string, Entry>(oldest.Key, oldest));
            }
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }

    public void Dispose() => _sweep.Dispose();

    private sealed record Entry(string Key, byte[] Response, SipRemote Target, long ExpiresAt);
}
