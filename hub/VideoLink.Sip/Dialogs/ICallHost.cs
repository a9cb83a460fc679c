using VideoLink.Sip.Messages;
using VideoLink.Sip.Transactions;

namespace VideoLink.Sip.Dialogs;

/// <summary>What a call leg reports to the call that owns it: a B2BUA/echo call (<see cref="SipCall"/>) or a dial-out (<see cref="DialOutCall"/>).</summary>
internal interface ICallHost
{
    /// <summary>A fork sent 180/183 (183 may carry early-media SDP).</summary>
    void OnForkProgress(UacLeg fork, SipResponse response);

    Task OnForkAnsweredAsync(UacLeg fork, SipResponse response, CancellationToken cancellationToken);

    Task OnForkFailedAsync(UacLeg fork, int status, CancellationToken cancellationToken);

    Task OnLegEndedAsync(CallLeg leg, string reason, CancellationToken cancellationToken);

    Task OnReInviteAsync(CallLeg leg, ServerTransaction transaction, CancellationToken cancellationToken);

    Task OnInfoAsync(CallLeg leg, ServerTransaction transaction, CancellationToken cancellationToken);

    Task EndAsync(string reason, int callerStatus, CallLeg? except, CancellationToken cancellationToken);

    bool PeerAllowsUpdate(CallLeg leg);
}
