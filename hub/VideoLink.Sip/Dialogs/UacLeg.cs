using VideoLink.Sip.Messages;
using VideoLink.Sip.Registrar;
using VideoLink.Sip.Transactions;

namespace VideoLink.Sip.Dialogs;

/// <summary>The callee's side of a B2BUA call or a dial-out: the hub is UAC toward one registered contact (one fork).</summary>
internal sealed class UacLeg : CallLeg
{
    private readonly object _gate = new();
    private byte[]? _ack;

    public UacLeg(SipCallManager manager, ICallHost call, SipBinding binding)
        : base(manager, call)
    {
        Binding = binding;
        CallId = SipGrammar.NewToken(12) + "@videolink";
        LocalTag = SipGrammar.NewToken();
    }

    public SipBinding Binding { get; }
    public string CallId { get; }
    public string LocalTag { get; }
    public ClientTransaction? Invite { get; private set; }
    public int? FinalStatus { get; private set; }

    /// <summary>No response at all before Timer B (reported as 408).</summary>
    public bool TimedOut { get; private set; }
    protected override bool IsHubUac => true;

    /// <summary>Sends the INVITE with our offer to the contact, over the flow it registered from.</summary>
    public void Start(NameAddress from, NameAddress to, byte[] offer)
    {
        var request = new SipRequest { Method = SipMethods.Invite, RequestUri = Binding.Contact.Uri };
        request.AddHeader(SipHeaderNames.MaxForwards, "70");
        request.AddHeader(SipHeaderNames.From, from.WithParameter("tag", LocalTag).ToString());
        request.AddHeader(SipHeaderNames.To, to.ToString());
        request.AddHeader(SipHeaderNames.CallId, CallId);
        request.AddHeader(SipHeaderNames.CSeq, "1 INVITE");
        request.AddHeader(SipHeaderNames.Contact, Manager.ContactFor(Binding.Target));
        request.AddHeader(SipHeaderNames.Allow, SipMethods.Allowed);
        request.AddHeader(SipHeaderNames.UserAgent, Manager.Options.UserAgent);
        request.AddHeader(SipHeaderNames.ContentType, "application/sdp");
        request.Body = offer;
        Manager.RegisterPendingUac(this);
        // fire-and-forget in the callback: the handler catches and logs everything itself.
        var transaction = Manager.Transactions.SendRequest(request, Binding.Target, (t, r) => _ = OnResponseAsync(r));
        Invite = transaction;
        _ = WatchTimeoutAsync(transaction); // fire-and-forget: maps Timer B to a 408 fork failure
    }

    private async Task WatchTimeoutAsync(ClientTransaction transaction)
    {
        var final = await transaction.Completion.ConfigureAwait(false);
        if (final is null && FinalStatus is null)
        {
            FinalStatus = 408;
            TimedOut = true;
            await Call.OnForkFailedAsync(this, 408, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task OnResponseAsync(SipResponse response)
    {
        try
        {
            if (response.StatusCode < 200)
            {
                if (response.StatusCode > 100)
                {
                    Call.OnForkProgress(this, response);
                }
                return;
            }
            if (response.IsSuccess)
            {
                bool first;
                lock (_gate)
                {
                    first = Dialog is null;
                    if (first)
                    {
                        var contact = response.Contacts is [var c, ..] ? c.Uri : Binding.Contact.Uri;
                        var routes = response.GetHeaderValues(SipHeaderNames.RecordRoute);
                        routes.Reverse(); // §12.1.2: the UAC's route set is the Record-Route list reversed.
                        Dialog = new SipDialog(CallId, LocalTag, response.From, response.To, contact, routes, Binding.Target, 1);
                        var ack = Dialog.CreateRequest(SipMethods.Ack, 1);
                        _ack = Manager.Transactions.PrepareStateless(ack, Binding.Target);
                        Manager.RegisterDialog(Dialog, this);
                    }
                }
                ResendAck();
                IsConfirmed = true;
                if (first)
                {
                    FinalStatus = response.StatusCode;
                    await Call.OnForkAnsweredAsync(this, response, CancellationToken.None).ConfigureAwait(false);
                }
                return;
            }
            if (FinalStatus is null)
            {
                FinalStatus = response.StatusCode;
                await Call.OnForkFailedAsync(this, response.StatusCode, CancellationToken.None).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // A peer's odd response must not crash the process.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            SipLog.HandlerFailed(Manager.Logger, "INVITE response", CallId, ex);
        }
    }

    /// <summary>A retransmitted 2xx (the transaction already ended) gets the same ACK again (§13.2.2.4).</summary>
    public void ResendAck()
    {
        byte[]? ack;
        lock (_gate)
        {
            ack = _ack;
        }
        if (ack is not null)
        {
            _ = Manager.Transactions.Transport.SendAsync(ack, Binding.Target, CancellationToken.None).AsTask(); // fire-and-forget: a lost ACK brings another 2xx
        }
    }

    public void Cancel() => Invite?.Cancel();

    public override void OnAck(SipRequest ack)
    {
        // The hub is UAC here: an ACK from the callee is not expected.
    }

    public override async ValueTask ReleaseAsync()
    {
        Manager.UnregisterPendingUac(this);
        await base.ReleaseAsync().ConfigureAwait(false);
    }
}
