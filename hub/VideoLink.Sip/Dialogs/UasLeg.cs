using VideoLink.Sip.Messages;
using VideoLink.Sip.Sdp;
using VideoLink.Sip.Transactions;

namespace VideoLink.Sip.Dialogs;

/// <summary>The caller's side of a call: the hub answers as UAS and retransmits its 2xx until ACK (§13.3.1.4).</summary>
internal sealed class UasLeg : CallLeg
{
    private readonly object _gate = new();
    private ServerTransaction _invite;
    private byte[]? _pending2xx;
    private uint _pending2xxSeq;
    private ITimer? _retransmit;
    private TimeSpan _interval;
    private DateTimeOffset _2xxSentAt;
    private readonly TaskCompletionSource _acknowledged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _byeAfterAck;

    private readonly SipCall _call;

    public UasLeg(SipCallManager manager, SipCall call, ServerTransaction invite)
        : base(manager, call)
    {
        _call = call;
        _invite = invite;
        var request = invite.Request;
        var contact = request.Contacts[0];
        var routeSet = request.GetHeaderValues(SipHeaderNames.RecordRoute);
        Dialog = new SipDialog(request.CallId, SipGrammar.NewToken(), request.To, request.From, contact.Uri, routeSet, invite.Source,
            (uint)Random.Shared.Next(1, 10000))
        {
            RemoteSeq = request.CSeq.Number,
        };
    }

    public ServerTransaction InitialInvite => _invite;
    public CancellationTokenSource Cancellation { get; } = new();
    protected override bool IsHubUac => false;

    private SipResponse Response(ServerTransaction transaction, int code, string? reason = null)
    {
        var response = transaction.CreateResponse(code, reason, Dialog!.LocalTag);
        if (code is > 100 and < 300)
        {
            response.AddHeader(SipHeaderNames.Contact, Manager.ContactFor(transaction.Source));
        }
        return response;
    }

    public void Provisional(int code, SessionDescription? sdp = null)
    {
        if (_invite.HasFinalResponse)
        {
            return;
        }
        var response = Response(_invite, code);
        if (sdp is not null)
        {
            // Early media (RFC 3261 §13.3.1.1, RFC 3960): the answer in an unreliable 183; the 2xx repeats it.
            LocalSdp = sdp;
            response.AddHeader(SipHeaderNames.ContentType, "application/sdp");
            response.Body = System.Text.Encoding.UTF8.GetBytes(sdp.ToString());
        }
        _invite.Respond(response);
    }

    public void Reject(int code, string? reason = null)
    {
        if (!_invite.HasFinalResponse)
        {
            _invite.Respond(Response(_invite, code, reason));
        }
    }

    /// <summary>Answers an INVITE (initial or re-INVITE) with 200 and SDP and starts 2xx retransmission on UDP.</summary>
    public void Accept(ServerTransaction transaction, SessionDescription sdp)
    {
        _invite = transaction;
        LocalSdp = sdp;
        var ok = Response(transaction, 200);
        ok.AddHeader(SipHeaderNames.Allow, SipMethods.Allowed);
        ok.AddHeader(SipHeaderNames.Supported, "timer");
        AddSessionTimerHeaders(ok);
        ok.AddHeader(SipHeaderNames.ContentType, "application/sdp");
        ok.Body = System.Text.Encoding.UTF8.GetBytes(sdp.ToString());
        if (!transaction.Respond(ok))
        {
            return;
        }
        if (transaction.Source.IsReliable)
        {
            return; // §13.3.1.4: the 2xx is retransmitted only on unreliable transports; the ACK still confirms.
        }
        lock (_gate)
        {
            _pending2xx = Parsing.SipSerializer.Serialize(ok);
            _pending2xxSeq = transaction.Request.CSeq.Number;
            _interval = Manager.Options.T1;
            _2xxSentAt = Manager.Time.GetUtcNow();
            _retransmit?.Dispose();
            _retransmit = Manager.Time.CreateTimer(_ => Retransmit2xx(), null, _interval, Timeout.InfiniteTimeSpan);
        }
    }

    public void SetSessionTimer(SessionTimerPlan? plan)
    {
        if (plan is not null)
        {
            StartSessionTimer(plan);
        }
    }

    private void Retransmit2xx()
    {
        bool giveUp = false;
        lock (_gate)
        {
            if (_pending2xx is null)
            {
                return;
            }
            if (Manager.Time.GetUtcNow() - _2xxSentAt >= Manager.Options.T1 * 64)
            {
                // §13.3.1.4: no ACK within 64*T1: confirm and immediately end the session with BYE.
                _pending2xx = null;
                giveUp = true;
            }
            else
            {
                _ = Manager.Transactions.Transport.SendAsync(_pending2xx, _invite.Remote, CancellationToken.None).AsTask(); // fire-and-forget: the timer retries
                _interval = TimeSpan.FromTicks(Math.Min(_interval.Ticks * 2, Manager.Options.T2.Ticks));
                _retransmit?.Change(_interval, Timeout.InfiniteTimeSpan);
            }
        }
        if (giveUp)
        {
            IsConfirmed = true;
            _acknowledged.TrySetResult();
            _ = EndWithoutAckAsync(); // fire-and-forget: bounded BYE, errors logged inside
        }
    }

    private async Task EndWithoutAckAsync()
    {
        await Call.EndAsync("no ACK for 2xx", 408, null, CancellationToken.None).ConfigureAwait(false);
    }

    public override void OnAck(SipRequest ack)
    {
        lock (_gate)
        {
            if (_pending2xx is not null && ack.CSeq.Number == _pending2xxSeq)
            {
                _pending2xx = null;
                _retransmit?.Dispose();
                _retransmit = null;
            }
        }
        IsConfirmed = true;
        _acknowledged.TrySetResult();
        _call.OnAck(ack);
    }

    /// <summary>The 2xx is out but its ACK has not come yet (the call may end in that moment).</summary>
    public bool AwaitsAck
    {
        get
        {
            lock (_gate)
            {
                return !IsConfirmed && _pending2xx is not null;
            }
        }
    }

    /// <summary>
    /// The call ended between our 2xx and the caller's ACK (the callee hung up at once, or the ACK is still on its
    /// way). §15: no BYE before the ACK — the 2xx keeps being retransmitted and the dialog stays reachable until the
    /// ACK arrives or Timer H's 64*T1 passes, then the BYE goes.
    /// </summary>
    public async Task ByeOnceAcknowledgedAsync(CancellationToken cancellationToken)
    {
        _byeAfterAck = true;
        try
        {
            await _acknowledged.Task.WaitAsync(Manager.Options.T1 * 64 + Manager.Options.T2, Manager.Time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Backstop only: the 2xx retransmission gives up after 64*T1 and completes the wait itself.
        }
        catch (OperationCanceledException)
        {
            // Shutting down: still hang the caller up.
        }
        lock (_gate)
        {
            _pending2xx = null;
            _retransmit?.Dispose();
            _retransmit = null;
        }
        IsConfirmed = true;
        try
        {
            // Sent even when shutting down (the token is then already cancelled: the BYE leaves, nobody waits).
            await SendByeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            Manager.RemoveDialog(Dialog!);
        }
    }

    protected override bool ReleaseKeepsDialog => _byeAfterAck;

    public void MarkConfirmedReliable()
    {
        if (_invite.Source.IsReliable)
        {
            IsConfirmed = true;
        }
    }

    public override async ValueTask ReleaseAsync()
    {
        if (!_byeAfterAck)
        {
            lock (_gate)
            {
                _pending2xx = null;
                _retransmit?.Dispose();
            }
        }
        await Cancellation.CancelAsync().ConfigureAwait(false);
        await base.ReleaseAsync().ConfigureAwait(false);
    }
}
