using System.Text;
using VideoLink.Sip.Media;
using VideoLink.Sip.Messages;
using VideoLink.Sip.Registrar;
using VideoLink.Sip.Sdp;
using VideoLink.Sip.Transactions;

namespace VideoLink.Sip.Dialogs;

/// <summary>
/// One call through the hub. Echo: the caller's media comes back to it. Bridge (B2BUA): the caller's INVITE
/// forks to every registered contact of the callee; the first 2xx wins, the rest are cancelled; media is
/// anchored on both sides and relayed.
/// </summary>
internal sealed class SipCall : ICallHost
{
    private readonly object _gate = new();
    private readonly List<UacLeg> _forks = [];
    private readonly SipCallManager _manager;
    private readonly IMediaAnchor _anchor;
    private SessionDescription? _callerOffer;
    private List<NegotiatedMedia?> _chosen = [];
    private List<int> _calleeToCaller = [];
    private UacLeg? _callee;
    private int _bestFailure;
    private int _ended;
    private bool _ringing;
    private UacLeg? _earlyFork;
    private List<NegotiatedMedia?>? _earlyChosen;
    private int _lateOffer; // 1 = our offer went in the 2xx, answer expected in the ACK; 2 = answered
    private ITimer? _ringTimer;

    public SipCall(SipCallManager manager, ServerTransaction invite, IMediaAnchor anchor, bool isEcho)
    {
        _manager = manager;
        _anchor = anchor;
        IsEcho = isEcho;
        Caller = new UasLeg(manager, this, invite);
    }

    public UasLeg Caller { get; }
    public bool IsEcho { get; }

    /// <summary>A dial-in to a conference room: the hub answers itself and the conference engine owns the media.</summary>
    public bool IsConference { get; init; }
    public bool IsEnded => Volatile.Read(ref _ended) != 0;
    private ulong SessionId { get; } = (ulong)Random.Shared.NextInt64(1, long.MaxValue);

    /// <summary>Negotiates the caller's offer and anchors its streams. False when nothing acceptable was offered (→ 488).</summary>
    public async Task<bool> PrepareAsync(SessionDescription offer, CancellationToken cancellationToken)
    {
        _callerOffer = offer;
        _chosen = SdpOfferAnswer.Negotiate(offer);
        if (_chosen.TrueForAll(c => c is null))
        {
            return false;
        }
        for (int i = 0; i < _chosen.Count; i++)
        {
            var n = _chosen[i];
            if (n is null)
            {
                Caller.Streams.Add(null);
                continue;
            }
            var stream = await _anchor.AllocateAsync(ToStream(Caller.Dialog!.CallId, n, SdpOfferAnswer.RemoteEndPoint(offer, offer.Media[i])), cancellationToken).ConfigureAwait(false);
            Caller.Streams.Add(stream);
            if (IsEcho)
            {
                _anchor.Echo(stream);
            }
        }
        return true;
    }

    /// <summary>
    /// Late offer (RFC 3261 §13.2.1, echo only): the INVITE had no SDP, so the hub offers its own anchored
    /// streams in the 2xx and takes the answer from the ACK.
    /// </summary>
    public async Task PrepareLateOfferAsync(CancellationToken cancellationToken)
    {
        _lateOffer = 1;
        var endpoints = new List<MediaEndpoint>(SdpOfferAnswer.HubOffer.Length);
        foreach (var n in SdpOfferAnswer.HubOffer)
        {
            var stream = await _anchor.AllocateAsync(ToStream(Caller.Dialog!.CallId, n, null), cancellationToken).ConfigureAwait(false);
            Caller.Streams.Add(stream);
            endpoints.Add(new MediaEndpoint(_manager.MediaAddress, stream.Port));
            _anchor.Echo(stream); // echo answers to the source address: media flows even before the ACK
        }
        Caller.LocalSdp = SdpOfferAnswer.CreateOffer(SdpOfferAnswer.HubOffer, endpoints, _manager.MediaAddress, SessionId);
    }

    /// <summary>The caller's ACK: for a late offer it carries the answer (no answer → the call is ended with BYE).</summary>
    public void OnAck(SipRequest ack)
    {
        if (Interlocked.CompareExchange(ref _lateOffer, 2, 1) != 1)
        {
            return;
        }
        if (ack.Body.Length == 0 || !SdpParser.TryParse(ack.Body.Span, out var answer, out _))
        {
            _ = EndAsync("no SDP answer in ACK", 488, null, CancellationToken.None); // fire-and-forget: bounded BYE
            return;
        }
        for (int j = 0; j < Caller.Streams.Count && j < answer.Media.Count; j++)
        {
            if (Caller.Streams[j] is { } s)
            {
                var m = answer.Media[j];
                s.Update(s.Stream with { PayloadType = SdpOfferAnswer.AnsweredPayloadType(m, s.Stream.PayloadType), Remote = SdpOfferAnswer.RemoteEndPoint(answer, m), RtcpMux = m.RtcpMux });
            }
        }
    }

    private static SipMediaStream ToStream(string callId, NegotiatedMedia n, System.Net.IPEndPoint? remote) =>
        new(callId, n.Media, n.Encoding, n.PayloadType, n.ClockRate, remote, n.RtcpMux, n.Fmtp);

    private SessionDescription AnswerFor(CallLeg leg, SessionDescription offer, List<NegotiatedMedia?> chosen)
    {
        var endpoints = new List<MediaEndpoint?>(chosen.Count);
        string address = _manager.MediaAddress;
        for (int i = 0; i < chosen.Count; i++)
        {
            var s = i < leg.Streams.Count ? leg.Streams[i] : null;
            endpoints.Add(chosen[i] is not null && s is not null ? new MediaEndpoint(address, s.Port) : null);
        }
        return SdpOfferAnswer.CreateAnswer(offer, chosen, endpoints, address, SessionId, leg.LocalSdpVersion);
    }

    /// <summary>Echo service: optionally ring, then answer with our anchored ports.</summary>
    public async Task RunEchoAsync(SessionTimerPlan? timer, CancellationToken cancellationToken)
    {
        var delay = _manager.Options.EchoAnswerDelay;
        if (delay > TimeSpan.Zero)
        {
            Caller.Provisional(180);
            try
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Caller.Cancellation.Token);
                await Task.Delay(delay, _manager.Time, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                await EndAsync("cancelled before answer", 487, null, CancellationToken.None).ConfigureAwait(false);
                return;
            }
        }
        if (IsEnded)
        {
            return;
        }
        Caller.SetSessionTimer(timer);
        Caller.Accept(Caller.InitialInvite, _lateOffer != 0 ? Caller.LocalSdp! : AnswerFor(Caller, _callerOffer!, _chosen));
        Caller.MarkConfirmedReliable();
    }

    /// <summary>Conference dial-in: answer at once with our anchored ports; returns the accepted streams.</summary>
    public IReadOnlyList<IAnchoredStream> AnswerConference(SessionTimerPlan? timer)
    {
        Caller.SetSessionTimer(timer);
        Caller.Accept(Caller.InitialInvite, AnswerFor(Caller, _callerOffer!, _chosen));
        Caller.MarkConfirmedReliable();
        return Caller.Streams.OfType<IAnchoredStream>().ToList();
    }

    /// <summary>B2BUA: fork an INVITE with our anchored offer to every contact.</summary>
    public async Task RunBridgeAsync(IReadOnlyList<SipBinding> bindings, SipAccount? callerAccount, SessionTimerPlan? timer, CancellationToken cancellationToken)
    {
        var accepted = new List<NegotiatedMedia>();
        _calleeToCaller = [];
        for (int i = 0; i < _chosen.Count; i++)
        {
            if (_chosen[i] is { } n)
            {
                accepted.Add(n);
                _calleeToCaller.Add(i);
            }
        }
        var request = Caller.InitialInvite.Request;
        var from = new NameAddress
        {
            DisplayName = callerAccount?.DisplayName ?? request.From.DisplayName,
            Uri = new SipUri { Scheme = "sip", User = callerAccount?.User ?? request.From.Uri.User ?? "anonymous", Host = _manager.Options.Domain },
        };
        var to = new NameAddress { Uri = new SipUri { Scheme = "sip", User = request.RequestUri.User, Host = _manager.Options.Domain } };
        _pendingTimer = timer;
        foreach (var binding in bindings)
        {
            var fork = new UacLeg(_manager, this, binding);
            var endpoints = new List<MediaEndpoint>(accepted.Count);
            foreach (var n in accepted)
            {
                var s = await _anchor.AllocateAsync(ToStream(fork.CallId, n, null), cancellationToken).ConfigureAwait(false);
                fork.Streams.Add(s);
                endpoints.Add(new MediaEndpoint(_manager.MediaAddress, s.Port));
            }
            var offer = SdpOfferAnswer.CreateOffer(accepted, endpoints, _manager.MediaAddress, SessionId);
            fork.LocalSdp = offer;
            lock (_gate)
            {
                _forks.Add(fork);
            }
            fork.Start(from, to, Encoding.UTF8.GetBytes(offer.ToString()));
        }
        _ringTimer = _manager.Time.CreateTimer(_ => _ = OnRingTimeoutAsync(), null, _manager.Options.RingTimeout, Timeout.InfiniteTimeSpan); // fire-and-forget: logs inside
    }

    private SessionTimerPlan? _pendingTimer;

    private async Task OnRingTimeoutAsync()
    {
        if (_callee is null && !IsEnded)
        {
            await EndAsync("no answer", 480, null, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A fork sent 180/183. The first 183 with SDP is early media: its streams are connected to the caller's
    /// and the caller gets 183 with our anchored answer. Otherwise the caller hears ringing (180) once.
    /// </summary>
    public void OnForkProgress(UacLeg fork, SipResponse response)
    {
        SessionDescription? early = null;
        if (response.StatusCode == 183 && response.Body.Length > 0 && SdpParser.TryParse(response.Body.Span, out var parsed, out _))
        {
            early = parsed;
        }
        bool startEarly = false;
        bool ring = false;
        lock (_gate)
        {
            if (_callee is not null || IsEnded)
            {
                return;
            }
            if (early is not null && _earlyFork is null)
            {
                _earlyFork = fork;
                _ringing = true;
                startEarly = true;
            }
            else if (!_ringing)
            {
                _ringing = true;
                ring = true;
            }
        }
        if (startEarly)
        {
            var chosen = ApplyCalleeAnswer(fork, early!);
            if (!chosen.TrueForAll(c => c is null))
            {
                _earlyChosen = chosen;
                Caller.Provisional(183, AnswerFor(Caller, _callerOffer!, chosen));
                return;
            }
            ring = true;
        }
        if (ring)
        {
            Caller.Provisional(180);
        }
    }

    /// <summary>Reads a callee's SDP answer (early or final): points its streams at the callee and connects them to the caller's.</summary>
    private List<NegotiatedMedia?> ApplyCalleeAnswer(UacLeg fork, SessionDescription answer)
    {
        var chosenForCaller = new List<NegotiatedMedia?>(_chosen);
        for (int j = 0; j < fork.Streams.Count; j++)
        {
            int callerIndex = _calleeToCaller[j];
            var calleeStream = fork.Streams[j]!;
            if (j >= answer.Media.Count || answer.Media[j].Port == 0)
            {
                chosenForCaller[callerIndex] = null; // the callee refused this stream; refuse it to the caller too
                continue;
            }
            calleeStream.Update(calleeStream.Stream with { Remote = SdpOfferAnswer.RemoteEndPoint(answer, answer.Media[j]), RtcpMux = answer.Media[j].RtcpMux });
            if (Caller.Streams[callerIndex] is { } callerStream)
            {
                _anchor.Connect(callerStream, calleeStream);
            }
        }
        return chosenForCaller;
    }

    public async Task OnForkAnsweredAsync(UacLeg fork, SipResponse response, CancellationToken cancellationToken)
    {
        List<UacLeg> losers;
        lock (_gate)
        {
            if (_callee is not null || IsEnded)
            {
                losers = [fork]; // a second fork answered too late: hang it up
            }
            else
            {
                _callee = fork;
                losers = _forks.FindAll(f => f != fork);
            }
        }
        if (_callee != fork)
        {
            await fork.SendByeAsync(cancellationToken).ConfigureAwait(false);
            await fork.ReleaseAsync().ConfigureAwait(false);
            return;
        }
        _ringTimer?.Dispose();
        foreach (var loser in losers)
        {
            loser.Cancel(); // §16.7 step 10 style: answered elsewhere
        }
        // Read the callee's answer: where it receives each stream. Without SDP in the 2xx, the early answer of
        // the same fork stands; the connection to that fork's streams (re)made here replaces any early-media one.
        var chosenForCaller = new List<NegotiatedMedia?>(_chosen);
        if (response.Body.Length > 0 && SdpParser.TryParse(response.Body.Span, out var answer, out _))
        {
            chosenForCaller = ApplyCalleeAnswer(fork, answer);
        }
        else if (fork == _earlyFork && _earlyChosen is not null)
        {
            chosenForCaller = _earlyChosen;
        }
        if (chosenForCaller.TrueForAll(c => c is null))
        {
            await EndAsync("callee accepted no media", 488, null, cancellationToken).ConfigureAwait(false);
            return;
        }
        _chosen = chosenForCaller;
        Caller.SetSessionTimer(_pendingTimer);
        Caller.Accept(Caller.InitialInvite, AnswerFor(Caller, _callerOffer!, _chosen));
        Caller.MarkConfirmedReliable();
        SipLog.CallOutcome(_manager.Logger, Caller.Dialog!.CallId, Caller.InitialInvite.Request.From.Uri.ToString(), fork.Binding.ContactKey, "answered");
    }

    public async Task OnForkFailedAsync(UacLeg fork, int status, CancellationToken cancellationToken)
    {
        bool allFailed;
        lock (_gate)
        {
            _forks.Remove(fork);
            _bestFailure = Better(_bestFailure, status);
            allFailed = _forks.Count == 0 && _callee is null;
        }
        await fork.ReleaseAsync().ConfigureAwait(false);
        if (allFailed && !IsEnded)
        {
            // Map what the callee's devices said to what the caller hears.
            int code = _bestFailure switch
            {
                486 or 600 => 486,
                603 => 603,
                487 or 408 or 0 => 480,
                488 or 606 => 488,
                >= 500 => 480,
                _ => 480,
            };
            await EndAsync("all contacts failed (" + status.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")", code, null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Busy and decline beat "unavailable" (a simplified RFC 3261 §16.7 best-response choice).</summary>
    private static int Better(int current, int candidate)
    {
        static int Rank(int c) => c switch
        {
            603 or 600 => 5,
            486 => 4,
            488 or 606 => 3,
            0 => 0,
            487 or 408 => 1,
            _ => 2,
        };
        return Rank(candidate) > Rank(current) ? candidate : current;
    }

    /// <summary>The caller's CANCEL arrived (200 already sent by the transaction layer).</summary>
    public Task OnCallerCancelledAsync(CancellationToken cancellationToken) => EndAsync("cancelled by caller", 487, null, cancellationToken);

    /// <summary>A leg ended on its own (BYE received): the other legs are hung up.</summary>
    public Task OnLegEndedAsync(CallLeg leg, string reason, CancellationToken cancellationToken) =>
        EndAsync(reason, 487, leg, cancellationToken);

    /// <summary>
    /// Ends the call once: the pending caller gets <paramref name="callerStatus"/>, confirmed legs other than
    /// <paramref name="except"/> get BYE, unanswered forks get CANCEL; media is released.
    /// </summary>
    public async Task EndAsync(string reason, int callerStatus, CallLeg? except, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return;
        }
        _ringTimer?.Dispose();
        SipLog.CallEnded(_manager.Logger, Caller.Dialog?.CallId ?? "", reason);
        List<UacLeg> forks;
        lock (_gate)
        {
            forks = [.. _forks];
        }
        if (!Caller.InitialInvite.HasFinalResponse)
        {
            Caller.Reject(callerStatus);
        }
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
        if (Caller != except && Caller.IsConfirmed)
        {
            byes.Add(Caller.SendByeAsync(cancellationToken));
        }
        else if (Caller != except && Caller.AwaitsAck)
        {
            byes.Add(Caller.ByeOnceAcknowledgedAsync(cancellationToken));
        }
        // Media and the call go at once; the BYEs finish on their own transactions (bounded by Timer F).
        await Caller.ReleaseAsync().ConfigureAwait(false);
        foreach (var f in forks)
        {
            await f.ReleaseAsync().ConfigureAwait(false);
        }
        _manager.RemoveCall(this);
        if (IsConference)
        {
            bool byRemote = except == Caller || reason.StartsWith("session", StringComparison.Ordinal) || reason.StartsWith("no ACK", StringComparison.Ordinal);
            _manager.RemoveConference(this, reason, byRemote);
        }
        try
        {
            await Task.WhenAll(byes).WaitAsync(_manager.Options.T1 * 70, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
    }

    /// <summary>re-INVITE on either leg (hold/resume, new address): answered locally with the same anchored ports.</summary>
    public async Task OnReInviteAsync(CallLeg leg, ServerTransaction transaction, CancellationToken cancellationToken)
    {
        var request = transaction.Request;
        SessionDescription? offer = null;
        if (request.Body.Length > 0 && !SdpParser.TryParse(request.Body.Span, out offer, out _))
        {
            transaction.Respond(transaction.CreateResponse(400, "Bad SDP"));
            return;
        }
        if (offer is not null && !IsEcho)
        {
            await RelayHoldAsync(leg, offer, cancellationToken).ConfigureAwait(false);
        }
        if (leg is not UasLeg uas)
        {
            // The callee re-INVITEd (refresh or hold): answer with our current SDP toward it, direction mirrored.
            var ok = transaction.CreateResponse(200);
            ok.AddHeader(SipHeaderNames.Contact, _manager.ContactFor(transaction.Source));
            leg.AddSessionTimerHeaders(ok);
            if (leg.LocalSdp is not null)
            {
                if (offer is not null)
                {
                    UpdateStreams(leg, offer);
                    var mirrored = SdpOfferAnswer.Reverse(leg.PeerDirection);
                    if (leg.LocalSdp.Media.Exists(m => !m.IsRejected && (m.Direction ?? MediaDirection.SendRecv) != mirrored))
                    {
                        leg.LocalSdp = WithDirection(leg, leg.LocalSdp, mirrored);
                    }
                }
                ok.AddHeader(SipHeaderNames.ContentType, "application/sdp");
                ok.Body = Encoding.UTF8.GetBytes(leg.LocalSdp.ToString());
            }
            transaction.Respond(ok);
            return;
        }
        if (offer is null)
        {
            // Offer-less re-INVITE (§14.1): we offer the current SDP in the 2xx; the answer comes in the ACK.
            uas.Accept(transaction, uas.LocalSdp!);
            return;
        }
        var chosen = SdpOfferAnswer.Negotiate(offer);
        for (int i = 0; i < chosen.Count; i++)
        {
            var n = chosen[i];
            if (n is null)
            {
                continue;
            }
            var remote = SdpOfferAnswer.RemoteEndPoint(offer, offer.Media[i]);
            if (i < uas.Streams.Count && uas.Streams[i] is { } existing)
            {
                // Hold: a=sendonly or a 0.0.0.0 address; the anchor simply has nothing to send to.
                existing.Update(ToStream(existing.Stream.CallId, n, n.Direction is MediaDirection.Inactive or MediaDirection.RecvOnly ? null : remote));
            }
            else if (IsEcho)
            {
                var s = await _anchor.AllocateAsync(ToStream(uas.Dialog!.CallId, n, remote), cancellationToken).ConfigureAwait(false);
                while (uas.Streams.Count < i)
                {
                    uas.Streams.Add(null);
                }
                if (i < uas.Streams.Count)
                {
                    uas.Streams[i] = s;
                }
                else
                {
                    uas.Streams.Add(s);
                }
                _anchor.Echo(s);
            }
            else
            {
                chosen[i] = null; // a new stream mid-call cannot be bridged without the callee: refuse it
            }
        }
        uas.LocalSdpVersion++;
        uas.Accept(transaction, AnswerFor(uas, offer, chosen));
    }

    /// <summary>Effective direction of an offer: that of its first active m= line (phones hold all streams alike).</summary>
    private static MediaDirection DirectionOf(SessionDescription sdp)
    {
        var m = sdp.Media.Find(x => !x.IsRejected);
        return m?.Direction ?? sdp.Direction;
    }

    /// <summary>A copy of <paramref name="sdp"/> with a new o= version (RFC 3264 §8) and every active stream set to <paramref name="direction"/>.</summary>
    private static SessionDescription WithDirection(CallLeg leg, SessionDescription sdp, MediaDirection direction)
    {
        if (!SdpParser.TryParse(Encoding.UTF8.GetBytes(sdp.ToString()), out var copy, out _))
        {
            return sdp;
        }
        leg.LocalSdpVersion++;
        copy.SessionVersion = leg.LocalSdpVersion;
        foreach (var m in copy.Media)
        {
            if (!m.IsRejected)
            {
                m.Direction = direction;
            }
        }
        return copy;
    }

    /// <summary>
    /// Hold pass-through (B2BUA): when one leg's offer changes direction (sendonly/inactive = hold, sendrecv =
    /// resume), the other leg gets a re-INVITE with the same direction, so its phone shows "held" and stops
    /// sending. The re-INVITE's outcome does not block the offering leg: the hub answers it locally anyway.
    /// </summary>
    private async Task RelayHoldAsync(CallLeg leg, SessionDescription offer, CancellationToken cancellationToken)
    {
        var direction = DirectionOf(offer);
        if (direction == leg.PeerDirection)
        {
            return; // a refresh or an address change: nothing for the other side to see
        }
        leg.PeerDirection = direction;
        CallLeg? other = leg == Caller ? _callee : Caller;
        if (other?.Dialog is null || !other.IsConfirmed || other.LocalSdp is null || other.IsEnded)
        {
            return;
        }
        var sdp = WithDirection(other, other.LocalSdp, direction);
        var reInvite = other.Dialog.CreateRequest(SipMethods.Invite, contact: _manager.ContactFor(other.Dialog.Remote));
        reInvite.AddHeader(SipHeaderNames.UserAgent, _manager.Options.UserAgent);
        reInvite.AddHeader(SipHeaderNames.ContentType, "application/sdp");
        reInvite.Body = Encoding.UTF8.GetBytes(sdp.ToString());
        try
        {
            var response = await other.SendInDialogAsync(reInvite, cancellationToken).ConfigureAwait(false);
            if (response is { IsSuccess: true })
            {
                other.LocalSdp = sdp;
                if (response.Body.Length > 0 && SdpParser.TryParse(response.Body.Span, out var answer, out _))
                {
                    UpdateStreams(other, answer);
                }
            }
        }
        catch (TimeoutException)
        {
            // The other phone did not answer the re-INVITE; media stays anchored and the call goes on.
        }
    }

    private static void UpdateStreams(CallLeg leg, SessionDescription offer)
    {
        for (int i = 0; i < offer.Media.Count && i < leg.Streams.Count; i++)
        {
            if (leg.Streams[i] is { } s)
            {
                s.Update(s.Stream with { Remote = SdpOfferAnswer.RemoteEndPoint(offer, offer.Media[i]) });
            }
        }
    }

    /// <summary>
    /// INFO (RFC 6086). A picture_fast_update (RFC 5168) asks for a keyframe: in a bridge it goes to the other
    /// leg; in echo it goes back to the caller, whose own encoder is the source of the video it sees.
    /// </summary>
    public Task OnInfoAsync(CallLeg leg, ServerTransaction transaction, CancellationToken cancellationToken)
    {
        var request = transaction.Request;
        transaction.Respond(transaction.CreateResponse(200));
        bool keyFrame = request.ContentType?.StartsWith("application/media_control+xml", StringComparison.OrdinalIgnoreCase) == true
            && Encoding.UTF8.GetString(request.Body.Span).Contains("picture_fast_update", StringComparison.Ordinal);
        if (!keyFrame)
        {
            return Task.CompletedTask;
        }
        if (IsConference)
        {
            _manager.OnKeyFrameRequested(request.CallId); // the engine asks the source this phone is watching
            return Task.CompletedTask;
        }
        CallLeg? target = IsEcho ? Caller : leg == Caller ? _callee : Caller;
        if (target?.Dialog is null || !target.IsConfirmed)
        {
            return Task.CompletedTask;
        }
        var info = target.Dialog.CreateRequest(SipMethods.Info);
        info.AddHeader(SipHeaderNames.ContentType, "application/media_control+xml");
        info.Body = MediaControl.PictureFastUpdate;
        _ = SendQuietlyAsync(target, info, cancellationToken); // fire-and-forget: a lost keyframe request is retried by the phone
        return Task.CompletedTask;
    }

    private static async Task SendQuietlyAsync(CallLeg leg, SipRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await leg.SendInDialogAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
        }
    }

    public bool PeerAllowsUpdate(CallLeg leg) =>
        leg == Caller && Caller.InitialInvite.Request.GetHeaderValues(SipHeaderNames.Allow).Exists(a => a.Equals(SipMethods.Update, StringComparison.OrdinalIgnoreCase));
}

/// <summary>RFC 5168 media control body.</summary>
internal static class MediaControl
{
    public static readonly byte[] PictureFastUpdate = Encoding.UTF8.GetBytes(
        "<?xml version=\"1.0\" encoding=\"utf-8\" ?>\r\n<media_control>\r\n <vc_primitive>\r\n  <to_encoder>\r\n   <picture_fast_update/>\r\n  </to_encoder>\r\n </vc_primitive>\r\n</media_control>\r\n");
}
