using System.Text;
using VideoLink.Sip.Media;
using VideoLink.Sip.Messages;
using VideoLink.Sip.Registrar;
using VideoLink.Sip.Sdp;
using VideoLink.Sip.Transactions;

namespace VideoLink.Sip.Dialogs;

/// <summary>
/// A call the hub places itself: one INVITE per registered contact of the account, our own anchored offer
/// (G.711 µ-law + telephone-event, H.264 Constrained Baseline); first 2xx wins and the other forks are cancelled.
/// </summary>
internal sealed class DialOutCall : ICallHost
{
    private static readonly NegotiatedMedia[] OfferedMedia = SdpOfferAnswer.HubOffer;

    private readonly object _gate = new();
    private readonly List<UacLeg> _forks = [];
    private readonly SipCallManager _manager;
    private readonly IMediaAnchor _anchor;
    private readonly TaskCompletionSource<SipDialOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ulong _sessionId = (ulong)Random.Shared.NextInt64(1, long.MaxValue);
    private UacLeg? _callee;
    private int _bestFailure;
    private bool _cancelledByHub;
    private int _progress; // any provisional response beyond 100 from any fork
    private int _ended;
    private ITimer? _ringTimer;

    public DialOutCall(SipCallManager manager, IMediaAnchor anchor)
    {
        _manager = manager;
        _anchor = anchor;
    }

    public Task<SipDialOutcome> Outcome => _outcome.Task;
    public string? CallId => _callee?.CallId;

    /// <summary>The fork that answered (null before the answer).</summary>
    public UacLeg? AnsweredLeg => _callee;
    public bool IsEnded => Volatile.Read(ref _ended) != 0;

    public async Task StartAsync(IReadOnlyList<SipBinding> bindings, NameAddress from, NameAddress to, TimeSpan ringTimeout, CancellationToken cancellationToken)
    {
        foreach (var binding in bindings)
        {
            var fork = new UacLeg(_manager, this, binding);
            var endpoints = new List<MediaEndpoint>(OfferedMedia.Length);
            foreach (var n in OfferedMedia)
            {
                var s = await _anchor.AllocateAsync(new SipMediaStream(fork.CallId, n.Media, n.Encoding, n.PayloadType, n.ClockRate, null, false), cancellationToken).ConfigureAwait(false);
                fork.Streams.Add(s);
                endpoints.Add(new MediaEndpoint(_manager.MediaAddress, s.Port));
            }
            var offer = SdpOfferAnswer.CreateOffer(OfferedMedia, endpoints, _manager.MediaAddress, _sessionId);
            fork.LocalSdp = offer;
            lock (_gate)
            {
                _forks.Add(fork);
            }
            fork.Start(from, to, Encoding.UTF8.GetBytes(offer.ToString()));
        }
        _ringTimer = _manager.Time.CreateTimer(_ => StopRinging(null), null, ringTimeout, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Ring timeout (token null) or the dialler's cancellation: CANCEL every fork, report at once.</summary>
    public void StopRinging(CancellationToken? cancelled)
    {
        List<UacLeg> forks;
        lock (_gate)
        {
            if (_callee is not null || _outcome.Task.IsCompleted)
            {
                return;
            }
            _cancelledByHub = true;
            forks = [.. _forks];
        }
        _ringTimer?.Dispose();
        foreach (var f in forks)
        {
            f.Cancel(); // the phone answers 487; its failure callback releases the fork
        }
        if (cancelled is { } token)
        {
            _outcome.TrySetCanceled(token);
        }
        else
        {
            _outcome.TrySetResult(Volatile.Read(ref _progress) != 0
                ? new SipDialOutcome(SipDialStatus.NoAnswer, 480, "ring timeout")
                : new SipDialOutcome(SipDialStatus.Unreachable, 408, "no contact responded before the ring timeout"));
        }
        FinishIfIdle();
    }

    public void OnForkProgress(UacLeg fork, SipResponse response) =>
        Volatile.Write(ref _progress, 1); // ringing: nothing to relay (the hub is the caller)

    public async Task OnForkAnsweredAsync(UacLeg fork, SipResponse response, CancellationToken cancellationToken)
    {
        List<UacLeg> losers;
        bool won;
        lock (_gate)
        {
            won = _callee is null && !_outcome.Task.IsCompleted && !IsEnded;
            if (won)
            {
                _callee = fork;
            }
            losers = won ? _forks.FindAll(f => f != fork) : [];
        }
        if (!won)
        {
            // Answered too late (another fork won, ring timeout, cancelled): hang this one up.
            await fork.SendByeAsync(cancellationToken).ConfigureAwait(false);
            await ForkGoneAsync(fork).ConfigureAwait(false);
            return;
        }
        _ringTimer?.Dispose();
        foreach (var loser in losers)
        {
            loser.Cancel();
        }
        var streams = new List<IAnchoredStream>();
        if (response.Body.Length > 0 && SdpParser.TryParse(response.Body.Span, out var answer, out _))
        {
            for (int j = 0; j < fork.Streams.Count && j < answer.Media.Count; j++)
            {
                var m = answer.Media[j];
                if (fork.Streams[j] is not { } s || m.Port == 0)
                {
                    continue;
                }
                int pt = SdpOfferAnswer.AnsweredPayloadType(m, s.Stream.PayloadType);
                s.Update(s.Stream with { PayloadType = pt, Remote = SdpOfferAnswer.RemoteEndPoint(answer, m), RtcpMux = m.RtcpMux, Fmtp = m.GetFmtp(pt) });
                streams.Add(s);
            }
        }
        if (streams.Count == 0)
        {
            _outcome.TrySetResult(new SipDialOutcome(SipDialStatus.Rejected, 488, "answer accepted no media"));
            await EndAsync("answer accepted no media", 488, null, cancellationToken).ConfigureAwait(false);
            return;
        }
        _manager.RegisterDialOut(fork.CallId, this);
        SipLog.CallOutcome(_manager.Logger, fork.CallId, "dial-out", fork.Binding.ContactKey, "answered");
        _outcome.TrySetResult(new SipDialOutcome(SipDialStatus.Answered, response.StatusCode, "answered", fork.CallId, fork.Binding.ContactKey, streams));
    }

    public async Task OnForkFailedAsync(UacLeg fork, int status, CancellationToken cancellationToken)
    {
        bool allFailed;
        int best;
        bool cancelledByHub;
        lock (_gate)
        {
            _forks.Remove(fork);
            _bestFailure = Better(_bestFailure, fork.TimedOut ? 0 : status);
            allFailed = _forks.Count == 0 && _callee is null;
            best = _bestFailure;
            cancelledByHub = _cancelledByHub;
        }
        await fork.ReleaseAsync().ConfigureAwait(false);
        if (!allFailed)
        {
            return;
        }
        if (!cancelledByHub)
        {
            _outcome.TrySetResult(best switch
            {
                0 => new SipDialOutcome(SipDialStatus.Unreachable, 408, "no response from any contact"),
                486 or 600 => new SipDialOutcome(SipDialStatus.Busy, best, "busy"),
                408 or 480 or 487 => new SipDialOutcome(SipDialStatus.NoAnswer, best, "not answered"),
                _ => new SipDialOutcome(SipDialStatus.Rejected, best, "rejected"),
            });
        }
        FinishIfIdle();
    }

    private async Task ForkGoneAsync(UacLeg fork)
    {
        lock (_gate)
        {
            _forks.Remove(fork);
        }
        await fork.ReleaseAsync().ConfigureAwait(false);
        FinishIfIdle();
    }

    /// <summary>Not answered and no fork left: the call object is done.</summary>
    private void FinishIfIdle()
    {
        bool idle;
        lock (_gate)
        {
            idle = _callee is null && _forks.Count == 0 && _outcome.Task.IsCompleted;
        }
        if (idle && Interlocked.Exchange(ref _ended, 1) == 0)
        {
            _ringTimer?.Dispose();
            _manager.RemoveDialOut(this, null, null);
        }
    }

    /// <summary>Busy and decline beat "unavailable"; any response beats no response (0).</summary>
    private static int Better(int current, int candidate)
    {
        static int Rank(int c) => c switch
        {
            603 or 600 => 6,
            486 => 5,
            488 or 606 => 4,
            0 => 0,
            487 => 1,
            408 or 480 => 2,
            _ => 3,
        };
        return Rank(candidate) > Rank(current) ? candidate : current;
    }

    public Task OnLegEndedAsync(CallLeg leg, string reason, CancellationToken cancellationToken) =>
        EndCoreAsync(reason, byRemote: true, except: leg, cancellationToken);

    public Task EndAsync(string reason, int callerStatus, CallLeg? except, CancellationToken cancellationToken) =>
        EndCoreAsync(reason, byRemote: reason.StartsWith("session", StringComparison.Ordinal) || reason.StartsWith("no ACK", StringComparison.Ordinal), except, cancellationToken);

    /// <summary>Hang up by the hub (API or shutdown).</summary>
    public Task HangUpAsync(string reason, CancellationToken cancellationToken) => EndCoreAsync(reason, byRemote: false, null, cancellationToken);

    private async Task EndCoreAsync(string reason, bool byRemote, CallLeg? except, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return;
        }
        _ringTimer?.Dispose();
        List<UacLeg> forks;
        UacLeg? callee;
        lock (_gate)
        {
            forks = [.. _forks];
            callee = _callee;
        }
        bool wasAnswered = _outcome.Task.IsCompletedSuccessfully && _outcome.Task.Result.IsAnswered;
        _outcome.TrySetResult(new SipDialOutcome(SipDialStatus.Unreachable, 503, reason));
        SipLog.CallEnded(_manager.Logger, callee?.CallId ?? "", reason);
        var byes = new List<Task>();
        foreach (var f in forks)
        {
            if (f == except)
            {
                continue;
            }
            if (f.IsConfirmed)
            {
                byes.Add(f.SendByeAsync(cancellationToken));
            }
            else
            {
                f.Cancel();
            }
        }
        foreach (var f in forks)
        {
            await f.ReleaseAsync().ConfigureAwait(false);
        }
        _manager.RemoveDialOut(this, callee?.CallId, callee is not null && wasAnswered ? new SipCallEndedEventArgs(callee.CallId, reason, byRemote) : null);
        try
        {
            await Task.WhenAll(byes).WaitAsync(_manager.Options.T1 * 70, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
    }

    /// <summary>The phone re-INVITEd (hold, refresh, new address): answered with our unchanged offer as the answer.</summary>
    public Task OnReInviteAsync(CallLeg leg, ServerTransaction transaction, CancellationToken cancellationToken)
    {
        var request = transaction.Request;
        SessionDescription? offer = null;
        if (request.Body.Length > 0 && !SdpParser.TryParse(request.Body.Span, out offer, out _))
        {
            transaction.Respond(transaction.CreateResponse(400, "Bad SDP"));
            return Task.CompletedTask;
        }
        var ok = transaction.CreateResponse(200);
        ok.AddHeader(SipHeaderNames.Contact, _manager.ContactFor(transaction.Source));
        leg.AddSessionTimerHeaders(ok);
        if (offer is not null)
        {
            for (int i = 0; i < offer.Media.Count && i < leg.Streams.Count; i++)
            {
                if (leg.Streams[i] is { } s)
                {
                    s.Update(s.Stream with { Remote = SdpOfferAnswer.RemoteEndPoint(offer, offer.Media[i]) });
                }
            }
        }
        if (leg.LocalSdp is not null)
        {
            ok.AddHeader(SipHeaderNames.ContentType, "application/sdp");
            ok.Body = Encoding.UTF8.GetBytes(leg.LocalSdp.ToString());
        }
        transaction.Respond(ok);
        return Task.CompletedTask;
    }

    public Task OnInfoAsync(CallLeg leg, ServerTransaction transaction, CancellationToken cancellationToken)
    {
        transaction.Respond(transaction.CreateResponse(200));
        var request = transaction.Request;
        if (request.ContentType?.StartsWith("application/media_control+xml", StringComparison.OrdinalIgnoreCase) == true
            && Encoding.UTF8.GetString(request.Body.Span).Contains("picture_fast_update", StringComparison.Ordinal))
        {
            _manager.OnKeyFrameRequested(request.CallId);
        }
        return Task.CompletedTask;
    }

    public bool PeerAllowsUpdate(CallLeg leg) => false;
}
