using VideoLink.Sip.Messages;
using VideoLink.Sip.Transport;

namespace VideoLink.Sip.Transactions;

/// <summary>
/// Server transaction (RFC 3261 §17.2): INVITE (§17.2.1, with the Accepted state of RFC 6026 §7.1) and
/// non-INVITE (§17.2.2). The TU answers with <see cref="Respond"/>; retransmitted requests are absorbed here.
/// </summary>
internal sealed class ServerTransaction : SipTransaction
{
    private byte[]? _lastResponse;
    private ITimer? _timerG;
    private TimeSpan _intervalG;
    private int _pending; // 1 while counted in the layer's pending requests

    public ServerTransaction(SipTransactionLayer layer, string key, SipRequest request, SipRemote source)
        : base(layer, key, SipTransportLayer.ResponseTarget(request, source))
    {
        Request = request;
        Source = source;
        IsInvite = request.Method == SipMethods.Invite;
        State = IsInvite ? TransactionState.Proceeding : TransactionState.Trying;
    }

    public SipRequest Request { get; }
    public SipRemote Source { get; }
    public bool IsInvite { get; }
    public int? FinalStatus { get; private set; }

    /// <summary>Set by the layer when a matching CANCEL arrived (§9.2).</summary>
    public bool IsCancelled { get; internal set; }

    /// <summary>Raised when a non-2xx final response to INVITE got no ACK before Timer H (§17.2.1).</summary>
    public event Action<ServerTransaction>? AckTimedOut;

    public bool HasFinalResponse => FinalStatus is not null;

    internal void CountAsPending()
    {
        if (Interlocked.Exchange(ref _pending, 1) == 0)
        {
            Layer.PendingStarted();
        }
    }

    private void PendingDone()
    {
        if (Interlocked.Exchange(ref _pending, 0) == 1)
        {
            Layer.PendingFinished();
        }
    }

    protected override void OnTerminated() => PendingDone();

    public SipResponse CreateResponse(int code, string? reason = null, string? toTag = null) =>
        SipResponses.Create(Request, code, reason, toTag);

    /// <summary>Sends a response; ignored once a final response was sent (returns false).</summary>
    public bool Respond(SipResponse response)
    {
        byte[] bytes = Serialize(response);
        lock (Gate)
        {
            if (State is TransactionState.Completed or TransactionState.Confirmed or TransactionState.Accepted or TransactionState.Terminated)
            {
                return false;
            }
            _lastResponse = bytes;
            if (response.StatusCode < 200)
            {
                State = TransactionState.Proceeding;
                Transmit(bytes);
                return true;
            }
            FinalStatus = response.StatusCode;
            PendingDone();
            Transmit(bytes);
            if (!IsInvite)
            {
                // Timer J: absorb retransmissions for 64*T1 on UDP (§17.2.2), in the layer's compact table.
                State = TransactionState.Completed;
                if (IsUnreliable)
                {
                    Layer.Absorb(this, bytes);
                    _lastResponse = null;
                }
                Terminate();
            }
            else if (response.StatusCode < 300)
            {
                // RFC 6026 §7.1: Accepted for Timer L = 64*T1; the TU retransmits the 2xx itself.
                State = TransactionState.Accepted;
                StartTimer(TimeoutInterval, () => { lock (Gate) { Terminate(); } });
            }
            else
            {
                State = TransactionState.Completed;
                if (IsUnreliable)
                {
                    _intervalG = T1;
                    _timerG = StartTimer(_intervalG, OnTimerG);
                }
                StartTimer(TimeoutInterval, OnTimerH);
            }
            return true;
        }
    }

    private void OnTimerG()
    {
        lock (Gate)
        {
            if (State != TransactionState.Completed || _lastResponse is null)
            {
                return;
            }
            Transmit(_lastResponse);
            _intervalG = TimeSpan.FromTicks(Math.Min(_intervalG.Ticks * 2, T2.Ticks));
            _timerG?.Change(_intervalG, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnTimerH()
    {
        bool timedOut;
        lock (Gate)
        {
            timedOut = State == TransactionState.Completed;
            if (State is TransactionState.Completed)
            {
                Terminate();
            }
        }
        if (timedOut)
        {
            AckTimedOut?.Invoke(this);
        }
    }

    /// <summary>A retransmission of the request arrived (§17.2.1, §17.2.2): resend the last response.</summary>
    internal void OnRetransmission()
    {
        lock (Gate)
        {
            if (_lastResponse is not null && State is TransactionState.Proceeding or TransactionState.Completed)
            {
                Transmit(_lastResponse);
            }
        }
    }

    /// <summary>ACK for a non-2xx final response: Completed → Confirmed, Timer I (§17.2.1).</summary>
    internal void OnAck()
    {
        lock (Gate)
        {
            if (State != TransactionState.Completed)
            {
                return;
            }
            State = TransactionState.Confirmed;
            Stop(_timerG);
            if (IsUnreliable)
            {
                StartTimer(T4, () => { lock (Gate) { Terminate(); } });
            }
            else
            {
                Terminate();
            }
        }
    }
}
