using VideoLink.Sip.Messages;
using VideoLink.Sip.Parsing;
using VideoLink.Sip.Transport;

namespace VideoLink.Sip.Transactions;

internal enum TransactionState
{
    Calling,
    Trying,
    Proceeding,
    /// <summary>RFC 6026 §7.1: INVITE answered with 2xx; retransmitted INVITEs (server) or 2xx (client) are absorbed.</summary>
    Accepted,
    Completed,
    Confirmed,
    Terminated,
}

/// <summary>Shared plumbing of the four RFC 3261 §17 state machines: a lock, timers on a pluggable clock, sends.</summary>
internal abstract class SipTransaction
{
    private readonly List<ITimer> _timers = [];

    protected SipTransaction(SipTransactionLayer layer, string key, SipRemote remote)
    {
        Layer = layer;
        Key = key;
        Remote = remote;
    }

    protected SipTransactionLayer Layer { get; }
    protected object Gate { get; } = new();
    public string Key { get; }
    public SipRemote Remote { get; }
    public TransactionState State { get; protected set; }
    protected bool IsUnreliable => !Remote.IsReliable;
    protected TimeSpan T1 => Layer.Options.T1;
    protected TimeSpan T2 => Layer.Options.T2;
    protected TimeSpan T4 => Layer.Options.T4;
    protected TimeSpan TimeoutInterval => T1 * 64;

    /// <summary>Starts a one-shot timer; it runs under no lock, so callbacks take <see cref="Gate"/> themselves.</summary>
    protected ITimer StartTimer(TimeSpan due, Action callback)
    {
        var timer = Layer.Time.CreateTimer(static s => ((Action)s!)(), callback, due, Timeout.InfiniteTimeSpan);
        lock (_timers)
        {
            _timers.Add(timer);
        }
        return timer;
    }

    protected static void Stop(ITimer? timer) => timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

    protected void Transmit(byte[] bytes) => Layer.Transport.Transmit(bytes, Remote); // retransmission timers cover loss

    /// <summary>Moves to Terminated, stops every timer and forgets the transaction.</summary>
    protected void Terminate()
    {
        State = TransactionState.Terminated;
        lock (_timers)
        {
            foreach (var t in _timers)
            {
                t.Dispose();
            }
            _timers.Clear();
        }
        Layer.Remove(this);
        OnTerminated();
    }

    protected virtual void OnTerminated()
    {
    }

    protected static byte[] Serialize(SipMessage message) => SipSerializer.Serialize(message);
}
