using VideoLink.Sip.Messages;
using VideoLink.Sip.Transport;

namespace VideoLink.Sip.Transactions;

/// <summary>
/// Client transaction (RFC 3261 §17.1): INVITE (§17.1.1, Accepted per RFC 6026) and non-INVITE (§17.1.2).
/// Responses go to <see cref="ResponseReceived"/>; the final outcome also completes <see cref="Completion"/>
/// (null = Timer B/F timeout or transport error, reported as 408 by the caller).
/// </summary>
internal sealed class ClientTransaction : SipTransaction
{
    private readonly byte[] _requestBytes;
    private readonly TaskCompletionSource<SipResponse?> _final = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ITimer? _retransmit;
    private TimeSpan _interval;
    private byte[]? _ack;
    private bool _cancelPending;

    public ClientTransaction(SipTransactionLayer layer, string key, SipRequest request, SipRemote target)
        : base(layer, key, target)
    {
        Request = request;
        IsInvite = request.Method == SipMethods.Invite;
        _requestBytes = Serialize(request);
        State = IsInvite ? TransactionState.Calling : TransactionState.Trying;
    }

    public SipRequest Request { get; }
    public bool IsInvite { get; }
    public Task<SipResponse?> Completion => _final.Task;

    /// <summary>Every response, provisional and final (including 2xx retransmissions in Accepted).</summary>
    public event Action<ClientTransaction, SipResponse>? ResponseReceived;

    internal void Start()
    {
        lock (Gate)
        {
            Transmit(_requestBytes);
            if (IsUnreliable)
            {
                // Timer A (INVITE) / E (non-INVITE) start at T1.
                _interval = T1;
                _retransmit = StartTimer(_interval, OnRetransmitTimer);
            }
            // Timer B / F: give up after 64*T1.
            StartTimer(TimeoutInterval, OnTimeout);
        }
    }

    private void OnRetransmitTimer()
    {
        lock (Gate)
        {
            if (State is not (TransactionState.Calling or TransactionState.Trying or TransactionState.Proceeding))
            {
                return;
            }
            if (IsInvite && State == TransactionState.Proceeding)
            {
                return; // §17.1.1.2: INVITE retransmissions stop on a provisional response.
            }
            Transmit(_requestBytes);
            // A doubles without cap; E doubles up to T2, and stays at T2 in Proceeding (§17.1.2.2).
            _interval = IsInvite ? _interval * 2 : State == TransactionState.Proceeding ? T2 : TimeSpan.FromTicks(Math.Min(_interval.Ticks * 2, T2.Ticks));
            _retransmit?.Change(_interval, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnTimeout()
    {
        lock (Gate)
        {
            if (State is TransactionState.Calling or TransactionState.Trying or TransactionState.Proceeding)
            {
                Terminate();
                _final.TrySetResult(null);
            }
        }
    }

    internal void OnResponse(SipResponse response)
    {
        bool deliver = true;
        lock (Gate)
        {
            switch (State)
            {
                case TransactionState.Calling or TransactionState.Trying or TransactionState.Proceeding:
                    if (response.StatusCode < 200)
                    {
                        State = TransactionState.Proceeding;
                        if (IsInvite)
                        {
                            Stop(_retransmit);
                            if (_cancelPending)
                            {
                                _cancelPending = false;
                                SendCancel();
                            }
                        }
                        break;
                    }
                    Stop(_retransmit);
                    if (IsInvite && response.IsSuccess)
                    {
                        // RFC 6026 §7.2: Accepted for Timer M = 64*T1; the ACK for 2xx is the dialog's job.
                        State = TransactionState.Accepted;
                        StartTimer(TimeoutInterval, () => { lock (Gate) { Terminate(); } });
                    }
                    else if (IsInvite)
                    {
                        // §17.1.1.3: the transaction ACKs a non-2xx final response itself.
                        State = TransactionState.Completed;
                        _ack = Serialize(CreateAckForFailure(response));
                        Transmit(_ack);
                        if (IsUnreliable)
                        {
                            StartTimer(TimeoutInterval, () => { lock (Gate) { Terminate(); } }); // Timer D
                        }
                        else
                        {
                            Terminate();
                        }
                    }
                    else
                    {
                        State = TransactionState.Completed;
                        if (IsUnreliable)
                        {
                            StartTimer(T4, () => { lock (Gate) { Terminate(); } }); // Timer K
                        }
                        else
                        {
                            Terminate();
                        }
                    }
                    _final.TrySetResult(response);
                    break;
                case TransactionState.Accepted:
                    deliver = response.IsSuccess; // retransmitted 2xx go to the TU to re-ACK
                    break;
                case TransactionState.Completed:
                    if (_ack is not null)
                    {
                        Transmit(_ack); // retransmitted failure response: resend the ACK
                    }
                    deliver = false;
                    break;
                default:
                    deliver = false;
                    break;
            }
        }
        if (deliver)
        {
            ResponseReceived?.Invoke(this, response);
        }
    }

    /// <summary>Cancels a pending INVITE (§9.1): at once after a provisional response, otherwise as soon as one arrives.</summary>
    public void Cancel()
    {
        lock (Gate)
        {
            if (!IsInvite)
            {
                return;
            }
            if (State == TransactionState.Proceeding)
            {
                SendCancel();
            }
            else if (State == TransactionState.Calling)
            {
                _cancelPending = true;
            }
        }
    }

    private void SendCancel()
    {
        // §9.1: same Request-URI, Call-ID, From, To, CSeq number and top Via (same branch).
        var cancel = new SipRequest { Method = SipMethods.Cancel, RequestUri = Request.RequestUri };
        foreach (var h in Request.Headers)
        {
            switch (h.Key)
            {
                case SipHeaderNames.From or SipHeaderNames.To or SipHeaderNames.CallId or SipHeaderNames.Route or SipHeaderNames.MaxForwards:
                    cancel.Headers.Add(h);
                    break;
                default:
                    break;
            }
        }
        cancel.Headers.Insert(0, new(SipHeaderNames.Via, Request.TopVia.ToString()));
        cancel.Headers.Add(new(SipHeaderNames.CSeq, new CSeqHeader(Request.CSeq.Number, SipMethods.Cancel).ToString()));
        _ = Layer.SendRequest(cancel, Remote); // its outcome does not matter: the INVITE gets its 487 either way
    }

    private SipRequest CreateAckForFailure(SipResponse response)
    {
        // §17.1.1.3: same Request-URI, top Via, From, Call-ID, CSeq number; To from the response.
        var ack = new SipRequest { Method = SipMethods.Ack, RequestUri = Request.RequestUri };
        ack.Headers.Add(new(SipHeaderNames.Via, Request.TopVia.ToString()));
        foreach (var h in Request.Headers)
        {
            if (h.Key is SipHeaderNames.From or SipHeaderNames.CallId or SipHeaderNames.Route or SipHeaderNames.MaxForwards)
            {
                ack.Headers.Add(h);
            }
        }
        ack.Headers.Add(new(SipHeaderNames.To, response.GetHeader(SipHeaderNames.To)!));
        ack.Headers.Add(new(SipHeaderNames.CSeq, new CSeqHeader(Request.CSeq.Number, SipMethods.Ack).ToString()));
        return ack;
    }

    protected override void OnTerminated() => _final.TrySetResult(null);
}
