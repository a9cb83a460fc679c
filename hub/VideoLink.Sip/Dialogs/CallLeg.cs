using System.Globalization;
using VideoLink.Sip.Media;
using VideoLink.Sip.Messages;
using VideoLink.Sip.Sdp;
using VideoLink.Sip.Transactions;

namespace VideoLink.Sip.Dialogs;

/// <summary>One side of a call through the hub: its dialog, its anchored media and its session timer.</summary>
internal abstract class CallLeg
{
    private ITimer? _sessionTimer;
    private int _ended;
    private int _released;

    protected CallLeg(SipCallManager manager, ICallHost call)
    {
        Manager = manager;
        Call = call;
    }

    public SipCallManager Manager { get; }
    public ICallHost Call { get; }
    public SipDialog? Dialog { get; protected set; }
    public bool IsConfirmed { get; protected set; }
    public bool IsEnded => Volatile.Read(ref _ended) != 0;

    /// <summary>Anchored streams toward this leg's peer, index = m= line of this leg's SDP.</summary>
    public List<IAnchoredStream?> Streams { get; } = [];

    /// <summary>Our current SDP toward this leg (answer or offer) and its o= version (RFC 3264 §8).</summary>
    public SessionDescription? LocalSdp { get; set; }
    public ulong LocalSdpVersion { get; set; } = 1;

    /// <summary>The media direction this leg's peer last offered (hold state), relayed to the other leg when it changes.</summary>
    public MediaDirection PeerDirection { get; set; } = MediaDirection.SendRecv;

    public SessionTimerPlan? SessionTimer { get; protected set; }

    public bool MarkEnded() => Interlocked.Exchange(ref _ended, 1) == 0;

    /// <summary>In-dialog requests (§12.2.2): BYE, re-INVITE, UPDATE, INFO, OPTIONS.</summary>
    public async Task HandleInDialogAsync(ServerTransaction transaction, CancellationToken cancellationToken)
    {
        var request = transaction.Request;
        var dialog = Dialog!;
        if (!dialog.AcceptRemoteSeq(request.CSeq.Number))
        {
            transaction.Respond(transaction.CreateResponse(500, "Out Of Order CSeq"));
            return;
        }
        // §12.2.2: a target refresh request updates the remote target.
        if (request.Method is SipMethods.Invite or SipMethods.Update && request.Contacts is [var contact, ..])
        {
            dialog.RemoteTarget = contact.Uri;
        }
        switch (request.Method)
        {
            case SipMethods.Bye:
                transaction.Respond(transaction.CreateResponse(200));
                await Call.OnLegEndedAsync(this, "BYE received", cancellationToken).ConfigureAwait(false);
                break;
            case SipMethods.Invite:
                RestartSessionTimer(request);
                await Call.OnReInviteAsync(this, transaction, cancellationToken).ConfigureAwait(false);
                break;
            case SipMethods.Update:
                // RFC 4028 §7.4: an UPDATE without a body is a pure session refresh.
                RestartSessionTimer(request);
                var ok = transaction.CreateResponse(200);
                AddSessionTimerHeaders(ok);
                transaction.Respond(ok);
                break;
            case SipMethods.Info:
                await Call.OnInfoAsync(this, transaction, cancellationToken).ConfigureAwait(false);
                break;
            case SipMethods.Options:
                transaction.Respond(Manager.CreateOptionsResponse(transaction));
                break;
            default:
                var notAllowed = transaction.CreateResponse(405);
                notAllowed.AddHeader(SipHeaderNames.Allow, SipMethods.Allowed);
                transaction.Respond(notAllowed);
                break;
        }
    }

    /// <summary>Sends a request in the dialog and waits for its final response (null on timeout).</summary>
    public async Task<SipResponse?> SendInDialogAsync(SipRequest request, CancellationToken cancellationToken)
    {
        var transaction = Manager.Transactions.SendRequest(request, Dialog!.Remote);
        var response = await transaction.Completion.WaitAsync(Manager.Options.T1 * 70, cancellationToken).ConfigureAwait(false);
        if (request.Method == SipMethods.Invite && response is { IsSuccess: true })
        {
            // §13.2.2.4: the ACK for a 2xx belongs to the dialog and is a new transaction.
            var ack = Dialog.CreateRequest(SipMethods.Ack, request.CSeq.Number);
            Manager.Transactions.SendRequestStateless(ack, Dialog.Remote);
        }
        return response;
    }

    /// <summary>Sends BYE (best effort, bounded) when the dialog is confirmed.</summary>
    public async Task SendByeAsync(CancellationToken cancellationToken)
    {
        if (Dialog is null || !IsConfirmed)
        {
            return;
        }
        try
        {
            var bye = Dialog.CreateRequest(SipMethods.Bye);
            bye.AddHeader(SipHeaderNames.UserAgent, Manager.Options.UserAgent);
            await SendInDialogAsync(bye, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The peer is gone; the call is over either way.
        }
    }

    /// <summary>Starts or restarts the RFC 4028 timer after the dialog-creating or a refreshing request.</summary>
    public void StartSessionTimer(SessionTimerPlan plan)
    {
        SessionTimer = plan;
        _sessionTimer?.Dispose();
        var due = plan.RefresherIsUac == IsHubUac ? plan.RefreshPeriod : plan.ExpiryTimeout;
        _sessionTimer = Manager.Time.CreateTimer(_ => _ = OnSessionTimerAsync(), null, due, Timeout.InfiniteTimeSpan); // fire-and-forget: the handler logs its own failures
    }

    /// <summary>Whether the hub is the UAC of this leg's dialog (RFC 4028 refresher roles are per dialog).</summary>
    protected abstract bool IsHubUac { get; }

    private void RestartSessionTimer(SipRequest refresh)
    {
        if (SessionTimer is null)
        {
            return;
        }
        // RFC 4028 §9: a refresh may change the interval or the refresher; "uac" there means the sender of the
        // refresh, which is the dialog's UAC only on a leg where the hub is UAS. Absent values keep the plan.
        var plan = SessionTimer;
        if (SessionTimerPlan.TryReadRefresh(refresh, out int interval, out bool? senderRefreshes))
        {
            plan = plan with { Interval = interval };
            if (senderRefreshes is { } s)
            {
                plan = plan with { RefresherIsUac = IsHubUac ? !s : s };
            }
        }
        StartSessionTimer(plan);
    }

    public void AddSessionTimerHeaders(SipResponse response)
    {
        if (SessionTimer is { } plan)
        {
            response.AddHeader(SipHeaderNames.SessionExpires, plan.HeaderValue);
            if (plan.RefresherIsUac)
            {
                response.AddHeader(SipHeaderNames.Require, "timer");
            }
        }
    }

    private async Task OnSessionTimerAsync()
    {
        var plan = SessionTimer;
        if (plan is null || IsEnded)
        {
            return;
        }
        try
        {
            bool weRefresh = plan.RefresherIsUac == IsHubUac;
            if (!weRefresh)
            {
                // §10: no refresh arrived in time: the peer is dead.
                await Call.EndAsync("session timer expired", 408, null, CancellationToken.None).ConfigureAwait(false);
                return;
            }
            // We refresh (§9): UPDATE without body if the peer allows it, else a re-INVITE with the same SDP.
            var dialog = Dialog!;
            SipRequest refresh;
            if (Call.PeerAllowsUpdate(this))
            {
                refresh = dialog.CreateRequest(SipMethods.Update, contact: Manager.ContactFor(dialog.Remote));
            }
            else
            {
                refresh = dialog.CreateRequest(SipMethods.Invite, contact: Manager.ContactFor(dialog.Remote));
                if (LocalSdp is not null)
                {
                    refresh.AddHeader(SipHeaderNames.ContentType, "application/sdp");
                    refresh.Body = System.Text.Encoding.UTF8.GetBytes(LocalSdp.ToString());
                }
            }
            // The hub sends this refresh and stays the refresher: "uac" of this transaction (RFC 4028 §7.4).
            refresh.AddHeader(SipHeaderNames.SessionExpires, plan.Interval.ToString(CultureInfo.InvariantCulture) + ";refresher=uac");
            refresh.AddHeader(SipHeaderNames.Supported, "timer");
            var response = await SendInDialogAsync(refresh, CancellationToken.None).ConfigureAwait(false);
            if (response is null || response.StatusCode is 408 or 481)
            {
                await Call.OnLegEndedAsync(this, "session refresh failed", CancellationToken.None).ConfigureAwait(false);
                return;
            }
            StartSessionTimer(plan);
        }
        catch (TimeoutException)
        {
            await Call.OnLegEndedAsync(this, "session refresh timed out", CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A timer callback must never crash the process.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            SipLog.HandlerFailed(Manager.Logger, "session-timer", Dialog?.CallId ?? "", ex);
        }
    }

    /// <summary>A BYE still waits for the dialog's ACK: the dialog stays reachable after release (it removes itself).</summary>
    protected virtual bool ReleaseKeepsDialog => false;

    /// <summary>
    /// Releases the leg's media and dialog once: a fork that fails while the call is being ended is released by both
    /// paths at the same moment (two threads walking one stream list threw, and the call was never removed).
    /// </summary>
    public virtual async ValueTask ReleaseAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0)
        {
            return;
        }
        _sessionTimer?.Dispose();
        foreach (var s in Streams)
        {
            if (s is not null)
            {
                await s.DisposeAsync().ConfigureAwait(false);
            }
        }
        Streams.Clear();
        if (Dialog is not null && !ReleaseKeepsDialog)
        {
            Manager.RemoveDialog(Dialog);
        }
    }

    public abstract void OnAck(SipRequest ack);
}
