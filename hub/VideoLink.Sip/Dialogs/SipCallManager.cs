using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using VideoLink.Sip.Media;
using VideoLink.Sip.Messages;
using VideoLink.Sip.Registrar;
using VideoLink.Sip.Sdp;
using VideoLink.Sip.Transactions;
using VideoLink.Sip.Transport;

namespace VideoLink.Sip.Dialogs;

/// <summary>
/// The transaction user: routes new requests (REGISTER to the registrar, INVITE to calls, OPTIONS answered
/// here), in-dialog requests to their leg, ACK and CANCEL to their call. Never relays to other domains.
/// </summary>
internal sealed class SipCallManager : ITransactionUser
{
    private readonly ConcurrentDictionary<string, CallLeg> _dialogs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ServerTransaction, SipCall> _byInvite = new();
    private readonly ConcurrentDictionary<string, UacLeg> _uacByCallId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<SipCall, byte> _calls = new();
    private readonly ConcurrentDictionary<DialOutCall, byte> _dialOuts = new();
    private readonly ConcurrentDictionary<string, DialOutCall> _dialOutById = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SipCall> _conferenceById = new(StringComparer.Ordinal);
    private readonly SipRegistrar _registrar;
    private readonly RequestAuthenticator _auth;
    private readonly ISipAccountDirectory _directory;
    private readonly IMediaAnchor _anchor;
    private readonly Func<string, bool> _isLocalDomain;
    private readonly CancellationToken _stopping;

    public SipCallManager(SipTransactionLayer transactions, SipRegistrar registrar, RequestAuthenticator auth, ISipAccountDirectory directory,
        IMediaAnchor anchor, Func<string, bool> isLocalDomain, string mediaAddress, ILogger logger, CancellationToken stopping)
    {
        Transactions = transactions;
        _registrar = registrar;
        _auth = auth;
        _directory = directory;
        _anchor = anchor;
        _isLocalDomain = isLocalDomain;
        MediaAddress = mediaAddress;
        Logger = logger;
        _stopping = stopping;
        transactions.SetUser(this);
    }

    public SipTransactionLayer Transactions { get; }
    public SipOptions Options => Transactions.Options;
    public TimeProvider Time => Transactions.Time;
    public ILogger Logger { get; }
    public string MediaAddress { get; }
    public int ActiveCalls => _calls.Count + _dialOuts.Count;

    /// <summary>A dialled-out or conference dial-in call ended after it was answered.</summary>
    public event EventHandler<SipCallEndedEventArgs>? CallEnded;

    /// <summary>A conference or dialled phone sent INFO picture_fast_update.</summary>
    public event EventHandler<SipKeyFrameRequestEventArgs>? KeyFrameRequested;

    /// <summary>The conference engine (rooms' dial-in numbers); null = no conferences.</summary>
    public ISipConferenceDoor? ConferenceDoor { get; set; }

    public void OnRequest(ServerTransaction transaction) =>
        _ = HandleGuardedAsync(transaction); // fire-and-forget: each request runs on its own; failures become 500 inside

    private async Task HandleGuardedAsync(ServerTransaction transaction)
    {
        try
        {
            await HandleAsync(transaction, _stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // One bad request never takes the server down; the peer gets a 500.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            SipLog.HandlerFailed(Logger, transaction.Request.Method, transaction.Request.CallId, ex);
            if (!transaction.HasFinalResponse)
            {
                transaction.Respond(transaction.CreateResponse(500, toTag: SipGrammar.NewToken()));
            }
        }
    }

    private async Task HandleAsync(ServerTransaction transaction, CancellationToken cancellationToken)
    {
        var request = transaction.Request;
        // §16.3 step 3 / §8.2: a loop or a stale Max-Forwards ends here.
        if (request.MaxForwards <= 0 && request.Method != SipMethods.Options)
        {
            transaction.Respond(transaction.CreateResponse(483, toTag: SipGrammar.NewToken()));
            return;
        }
        if (!request.RequestUri.IsSip)
        {
            transaction.Respond(transaction.CreateResponse(416, toTag: SipGrammar.NewToken()));
            return;
        }
        if (request.To.Tag is { } toTag)
        {
            if (_dialogs.TryGetValue(SipDialog.Keys(request.CallId, toTag), out var leg))
            {
                await leg.HandleInDialogAsync(transaction, cancellationToken).ConfigureAwait(false);
            }
            else if (request.Method == SipMethods.Options)
            {
                transaction.Respond(CreateOptionsResponse(transaction));
            }
            else
            {
                transaction.Respond(transaction.CreateResponse(481));
            }
            return;
        }
        // Never relay (no toll fraud): anything outside a dialog must be addressed to this hub.
        if (!_isLocalDomain(request.RequestUri.Host))
        {
            transaction.Respond(transaction.CreateResponse(403, "Relay Denied", SipGrammar.NewToken()));
            return;
        }
        switch (request.Method)
        {
            case SipMethods.Register:
                await _registrar.HandleAsync(transaction, cancellationToken).ConfigureAwait(false);
                break;
            case SipMethods.Options:
                transaction.Respond(CreateOptionsResponse(transaction));
                break;
            case SipMethods.Invite:
                await HandleNewInviteAsync(transaction, cancellationToken).ConfigureAwait(false);
                break;
            case SipMethods.Bye or SipMethods.Info or SipMethods.Update or SipMethods.Prack:
                transaction.Respond(transaction.CreateResponse(481, toTag: SipGrammar.NewToken()));
                break;
            case SipMethods.Subscribe or SipMethods.Notify or SipMethods.Message or SipMethods.Refer or SipMethods.Publish:
                var notAllowed = transaction.CreateResponse(405, toTag: SipGrammar.NewToken());
                notAllowed.AddHeader(SipHeaderNames.Allow, SipMethods.Allowed);
                transaction.Respond(notAllowed);
                break;
            default:
                // §8.2.1: a method we do not know at all.
                var unknown = transaction.CreateResponse(501, toTag: SipGrammar.NewToken());
                unknown.AddHeader(SipHeaderNames.Allow, SipMethods.Allowed);
                transaction.Respond(unknown);
                break;
        }
    }

    public SipResponse CreateOptionsResponse(ServerTransaction transaction)
    {
        var ok = transaction.CreateResponse(200, toTag: transaction.Request.To.Tag is null ? SipGrammar.NewToken() : null);
        ok.AddHeader(SipHeaderNames.Allow, SipMethods.Allowed);
        ok.AddHeader(SipHeaderNames.Accept, "application/sdp");
        ok.AddHeader(SipHeaderNames.Supported, "timer");
        ok.AddHeader(SipHeaderNames.Server, Options.UserAgent);
        return ok;
    }

    private async Task HandleNewInviteAsync(ServerTransaction transaction, CancellationToken cancellationToken)
    {
        var request = transaction.Request;
        string Tag() => SipGrammar.NewToken();
        // Never relay: a Request-URI outside our domain is refused before anything else (no toll fraud).
        if (!_isLocalDomain(request.RequestUri.Host))
        {
            transaction.Respond(transaction.CreateResponse(403, "Relay Denied", Tag()));
            return;
        }
        if (request.Contacts.Count != 1)
        {
            transaction.Respond(transaction.CreateResponse(400, "Missing Contact", Tag()));
            return;
        }
        var unsupported = request.GetHeaderValues(SipHeaderNames.Require).FindAll(t => !t.Equals("timer", StringComparison.OrdinalIgnoreCase));
        if (unsupported.Count > 0)
        {
            var bad = transaction.CreateResponse(420, toTag: Tag());
            bad.AddHeader(SipHeaderNames.Unsupported, string.Join(", ", unsupported));
            transaction.Respond(bad);
            return;
        }
        var caller = await _auth.AuthenticateAsync(transaction, cancellationToken).ConfigureAwait(false);
        if (caller is null || transaction.IsCancelled)
        {
            if (transaction.IsCancelled && !transaction.HasFinalResponse)
            {
                transaction.Respond(transaction.CreateResponse(487, toTag: Tag()));
            }
            return;
        }
        if (!SessionTimerPlan.TryNegotiate(request, Options.SessionExpires, out var timer))
        {
            var tooSmall = transaction.CreateResponse(422, toTag: Tag());
            tooSmall.AddHeader(SipHeaderNames.MinSE, SessionTimerPlan.MinSE.ToString(CultureInfo.InvariantCulture));
            transaction.Respond(tooSmall);
            return;
        }
        string user = request.RequestUri.User ?? "";
        bool echo = string.Equals(user, Options.EchoUser, StringComparison.OrdinalIgnoreCase);
        if (!echo && ConferenceDoor is { } door && user.Length > 0)
        {
            int star = user.IndexOf('*', StringComparison.Ordinal);
            var invite = new SipConferenceInvite(star < 0 ? user : user[..star], star < 0 ? null : user[(star + 1)..], caller.User, request.From.DisplayName);
            var admission = await door.AdmitAsync(invite, cancellationToken).ConfigureAwait(false);
            if (admission != SipConferenceAdmission.NotAConference)
            {
                await HandleConferenceInviteAsync(transaction, door, invite, admission, timer, cancellationToken).ConfigureAwait(false);
                return;
            }
        }
        IReadOnlyList<SipBinding> bindings = [];
        if (!echo)
        {
            var callee = user.Length == 0 ? null : await _directory.FindAsync(user, cancellationToken).ConfigureAwait(false);
            if (callee is null)
            {
                transaction.Respond(transaction.CreateResponse(404, toTag: Tag()));
                return;
            }
            bindings = _registrar.Lookup(callee.User);
            if (bindings.Count == 0)
            {
                transaction.Respond(transaction.CreateResponse(480, toTag: Tag()));
                return;
            }
        }
        bool lateOffer = request.Body.Length == 0;
        if ((lateOffer && !echo) || (!lateOffer && request.ContentType?.StartsWith("application/sdp", StringComparison.OrdinalIgnoreCase) != true))
        {
            // Offer-less INVITE (late offer) is served by echo only: a bridge offers the caller's codecs to the callee.
            var noOffer = transaction.CreateResponse(488, "SDP Offer Required", Tag());
            transaction.Respond(noOffer);
            return;
        }
        SessionDescription? offer = null;
        if (!lateOffer && !SdpParser.TryParse(request.Body.Span, out offer, out _))
        {
            transaction.Respond(transaction.CreateResponse(400, "Bad SDP", Tag()));
            return;
        }
        var call = new SipCall(this, transaction, _anchor, echo);
        _calls[call] = 0;
        _byInvite[transaction] = call;
        RegisterDialog(call.Caller.Dialog!, call.Caller);
        transaction.AckTimedOut += t => _byInvite.TryRemove(t, out _);
        if (offer is null)
        {
            await call.PrepareLateOfferAsync(cancellationToken).ConfigureAwait(false);
        }
        else if (!await call.PrepareAsync(offer, cancellationToken).ConfigureAwait(false))
        {
            await call.EndAsync("no acceptable media", 488, null, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (transaction.IsCancelled)
        {
            await call.EndAsync("cancelled", 487, null, cancellationToken).ConfigureAwait(false);
            return;
        }
        SipLog.CallOutcome(Logger, request.CallId, request.From.Uri.ToString(), request.RequestUri.ToString(), echo ? "echo" : "ringing " + bindings.Count.ToString(CultureInfo.InvariantCulture));
        if (echo)
        {
            await call.RunEchoAsync(timer, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await call.RunBridgeAsync(bindings, caller, timer, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A dial-in to a conference room: answered by the hub itself, its anchored streams handed to the engine.</summary>
    private async Task HandleConferenceInviteAsync(ServerTransaction transaction, ISipConferenceDoor door, SipConferenceInvite invite,
        SipConferenceAdmission admission, SessionTimerPlan? timer, CancellationToken cancellationToken)
    {
        var request = transaction.Request;
        if (admission != SipConferenceAdmission.Admit)
        {
            transaction.Respond(transaction.CreateResponse(403, admission == SipConferenceAdmission.Locked ? "Conference Locked" : "Wrong Conference PIN", SipGrammar.NewToken()));
            return;
        }
        if (request.Body.Length == 0 || request.ContentType?.StartsWith("application/sdp", StringComparison.OrdinalIgnoreCase) != true)
        {
            transaction.Respond(transaction.CreateResponse(488, "SDP Offer Required", SipGrammar.NewToken()));
            return;
        }
        if (!SdpParser.TryParse(request.Body.Span, out var offer, out _))
        {
            transaction.Respond(transaction.CreateResponse(400, "Bad SDP", SipGrammar.NewToken()));
            return;
        }
        var call = new SipCall(this, transaction, _anchor, isEcho: false) { IsConference = true };
        _calls[call] = 0;
        _byInvite[transaction] = call;
        RegisterDialog(call.Caller.Dialog!, call.Caller);
        transaction.AckTimedOut += t => _byInvite.TryRemove(t, out _);
        if (!await call.PrepareAsync(offer, cancellationToken).ConfigureAwait(false))
        {
            await call.EndAsync("no acceptable media", 488, null, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (transaction.IsCancelled)
        {
            await call.EndAsync("cancelled", 487, null, cancellationToken).ConfigureAwait(false);
            return;
        }
        SipLog.CallOutcome(Logger, request.CallId, request.From.Uri.ToString(), request.RequestUri.ToString(), "conference");
        var streams = call.AnswerConference(timer);
        _conferenceById[request.CallId] = call;
        try
        {
            door.OnJoined(new SipConferenceCall(request.CallId, invite, streams));
        }
#pragma warning disable CA1031 // The engine's failure ends this call only.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            SipLog.HandlerFailed(Logger, "conference join", request.CallId, ex);
            await call.EndAsync("conference join failed", 500, null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A conference call ended: the engine hears of it through <see cref="CallEnded"/>.</summary>
    public void RemoveConference(SipCall call, string reason, bool byRemote)
    {
        string callId = call.Caller.InitialInvite.Request.CallId;
        if (_conferenceById.TryRemove(callId, out _))
        {
            RaiseCallEnded(new SipCallEndedEventArgs(callId, reason, byRemote));
        }
    }

    public void OnKeyFrameRequested(string callId)
    {
        try
        {
            KeyFrameRequested?.Invoke(this, new SipKeyFrameRequestEventArgs(callId));
        }
#pragma warning disable CA1031 // A subscriber's exception must not break the dialog.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            SipLog.HandlerFailed(Logger, "KeyFrameRequested handler", callId, ex);
        }
    }

    /// <summary>Sends INFO picture_fast_update (RFC 5168) to the phone of a conference or dialled call; false if no such call.</summary>
    public bool RequestPictureFastUpdate(string callId)
    {
        CallLeg? leg = _conferenceById.TryGetValue(callId, out var conference) ? conference.Caller
            : _dialOutById.TryGetValue(callId, out var dialled) ? dialled.AnsweredLeg : null;
        if (leg?.Dialog is null || !leg.IsConfirmed || leg.IsEnded)
        {
            return false;
        }
        var info = leg.Dialog.CreateRequest(SipMethods.Info);
        info.AddHeader(SipHeaderNames.ContentType, "application/media_control+xml");
        info.Body = MediaControl.PictureFastUpdate;
        _ = SendInfoQuietlyAsync(leg, info); // fire-and-forget: a lost keyframe request is repeated by the engine
        return true;
    }

    private async Task SendInfoQuietlyAsync(CallLeg leg, SipRequest info)
    {
        try
        {
            await leg.SendInDialogAsync(info, _stopping).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or InvalidOperationException)
        {
        }
    }

    public void OnAck(SipRequest ack, SipRemote source)
    {
        if (ack.To.Tag is { } tag && _dialogs.TryGetValue(SipDialog.Keys(ack.CallId, tag), out var leg))
        {
            leg.OnAck(ack);
        }
    }

    public void OnCancel(ServerTransaction invite)
    {
        if (_byInvite.TryGetValue(invite, out var call))
        {
            _ = call.OnCallerCancelledAsync(_stopping); // fire-and-forget: EndAsync is bounded and catches its own timeouts
        }
        // Otherwise the INVITE is still being authenticated; HandleNewInviteAsync sees IsCancelled and answers 487.
    }

    public void OnStrayResponse(SipResponse response, SipRemote source)
    {
        // A 2xx retransmitted after the INVITE client transaction ended: ACK it again (§13.2.2.4).
        if (response.IsSuccess && response.CSeq.Method == SipMethods.Invite && _uacByCallId.TryGetValue(response.CallId, out var leg))
        {
            leg.ResendAck();
        }
    }

    /// <summary>Our Contact for a peer's transport (RFC 3261 §8.1.1.8).</summary>
    public string ContactFor(SipRemote remote)
    {
        var (host, port) = Transactions.Transport.LocalSentBy(remote.Kind);
        string transport = remote.Kind switch
        {
            SipTransportKind.Tcp => ";transport=tcp",
            SipTransportKind.WebSocket => ";transport=ws",
            _ => "",
        };
        return remote.Kind == SipTransportKind.WebSocket
            ? $"<sip:hub@{host}{transport}>"
            : $"<sip:hub@{host}:{port.ToString(CultureInfo.InvariantCulture)}{transport}>";
    }

    public void RegisterDialog(SipDialog dialog, CallLeg leg) => _dialogs[dialog.Key] = leg;

    public void RemoveDialog(SipDialog dialog) => _dialogs.TryRemove(dialog.Key, out _);

    public void RegisterPendingUac(UacLeg leg) => _uacByCallId[leg.CallId] = leg;

    public void UnregisterPendingUac(UacLeg leg) => _uacByCallId.TryRemove(leg.CallId, out _);

    public void RemoveCall(SipCall call)
    {
        _calls.TryRemove(call, out _);
        _byInvite.TryRemove(call.Caller.InitialInvite, out _);
    }

    /// <summary>Ends every call (shutdown): BYE to confirmed legs, bounded.</summary>
    public async Task EndAllAsync(CancellationToken cancellationToken)
    {
        var tasks = new List<Task>();
        foreach (var call in _calls.Keys)
        {
            tasks.Add(call.EndAsync("server stopping", 503, null, cancellationToken));
        }
        foreach (var call in _dialOuts.Keys)
        {
            tasks.Add(call.HangUpAsync("server stopping", cancellationToken));
        }
        await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    /// <summary>
    /// Places a call from the hub to a registered account (all its contacts, first answer wins), or — when
    /// <see cref="SipOptions.AllowExternalDialOut"/> — straight to a SIP URI of another host (UDP, port 5060 unless given).
    /// </summary>
    public async Task<SipDialOutcome> DialAsync(SipDialRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Target, nameof(request));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(request.RingTimeout, TimeSpan.Zero, nameof(request));
        cancellationToken.ThrowIfCancellationRequested();
        string target = request.Target.Trim();
        string user = target;
        var from = new NameAddress
        {
            DisplayName = request.CallerDisplayName,
            Uri = new SipUri { Scheme = "sip", User = string.IsNullOrWhiteSpace(request.CallerUser) ? "hub" : request.CallerUser, Host = Options.Domain },
        };
        if (target.Contains(':', StringComparison.Ordinal) || target.Contains('@', StringComparison.Ordinal))
        {
            string text = target.StartsWith("sip:", StringComparison.OrdinalIgnoreCase) || target.StartsWith("sips:", StringComparison.OrdinalIgnoreCase) ? target : "sip:" + target;
            if (!SipUri.TryParse(text, out var uri) || !uri.IsSip || string.IsNullOrEmpty(uri.User))
            {
                throw new ArgumentException("Target is neither a user name nor a SIP URI with a user part: " + target, nameof(request));
            }
            if (!IsThisHub(uri))
            {
                if (!Options.AllowExternalDialOut)
                {
                    return new SipDialOutcome(SipDialStatus.Rejected, 403, "Relay Denied: " + uri.Host + " is not this hub's domain");
                }
                var external = await ExternalBindingAsync(uri, cancellationToken).ConfigureAwait(false);
                if (external is null)
                {
                    return new SipDialOutcome(SipDialStatus.Unreachable, 404, "cannot resolve " + uri.Host);
                }
                return await PlaceAsync([external], from, new NameAddress { Uri = uri }, request.RingTimeout, cancellationToken).ConfigureAwait(false);
            }
            user = uri.User;
        }
        var account = await _directory.FindAsync(user, cancellationToken).ConfigureAwait(false);
        if (account is null)
        {
            return new SipDialOutcome(SipDialStatus.Rejected, 404, "unknown account " + user);
        }
        var bindings = _registrar.Lookup(account.User);
        if (bindings.Count == 0)
        {
            return new SipDialOutcome(SipDialStatus.Unreachable, 480, account.User + " is not registered");
        }
        var to = new NameAddress { DisplayName = account.DisplayName, Uri = new SipUri { Scheme = "sip", User = account.User, Host = Options.Domain } };
        return await PlaceAsync(bindings, from, to, request.RingTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>This hub's domain or address, and no port or one of ours (another SIP element on this host is not us).</summary>
    private bool IsThisHub(SipUri uri) =>
        _isLocalDomain(uri.Host) && (uri.Port == 0 || uri.Port == Transactions.Transport.UdpEndPoint?.Port || uri.Port == Transactions.Transport.TcpEndPoint?.Port);

    private async Task<SipDialOutcome> PlaceAsync(IReadOnlyList<SipBinding> bindings, NameAddress from, NameAddress to, TimeSpan ringTimeout, CancellationToken cancellationToken)
    {
        var call = new DialOutCall(this, _anchor);
        _dialOuts[call] = 0;
        SipLog.CallOutcome(Logger, "", from.Uri.ToString(), to.Uri.ToString(), "dialling " + bindings.Count.ToString(CultureInfo.InvariantCulture));
        // Allocation is not cancelled half-way (no leaked ports); cancellation is honoured once the forks are out.
        await call.StartAsync(bindings, from, to, ringTimeout, CancellationToken.None).ConfigureAwait(false);
        using (cancellationToken.Register(() => call.StopRinging(cancellationToken)))
        {
            return await call.Outcome.ConfigureAwait(false);
        }
    }

    /// <summary>A one-off UDP "binding" for a URI of another host: its IP literal or first IPv4 address, port 5060 by default.</summary>
    private static async Task<SipBinding?> ExternalBindingAsync(SipUri uri, CancellationToken cancellationToken)
    {
        IPAddress? address;
        if (!IPAddress.TryParse(uri.Host.Trim('[', ']'), out address))
        {
            try
            {
                var found = await Dns.GetHostAddressesAsync(uri.Host, cancellationToken).ConfigureAwait(false);
                address = found.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? found.FirstOrDefault();
            }
            catch (SocketException)
            {
                return null;
            }
        }
        if (address is null)
        {
            return null;
        }
        var remote = new SipRemote(SipTransportKind.Udp, new IPEndPoint(address, uri.Port > 0 ? uri.Port : SipOptions.DefaultPort));
        return new SipBinding(new NameAddress { Uri = uri }, uri.ToString(), DateTimeOffset.MaxValue, "", 0, remote, remote, null);
    }

    public async Task<bool> HangUpAsync(string callId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(callId);
        if (_conferenceById.TryGetValue(callId, out var conference))
        {
            await conference.EndAsync("hung up by the hub", 487, null, cancellationToken).ConfigureAwait(false);
            return true;
        }
        if (!_dialOutById.TryGetValue(callId, out var call))
        {
            return false;
        }
        await call.HangUpAsync("hung up by the hub", cancellationToken).ConfigureAwait(false);
        return true;
    }

    public void RegisterDialOut(string callId, DialOutCall call) => _dialOutById[callId] = call;

    public void RemoveDialOut(DialOutCall call, string? callId, SipCallEndedEventArgs? ended)
    {
        _dialOuts.TryRemove(call, out _);
        if (callId is not null)
        {
            _dialOutById.TryRemove(callId, out _);
        }
        if (ended is not null)
        {
            RaiseCallEnded(ended);
        }
    }

    private void RaiseCallEnded(SipCallEndedEventArgs ended)
    {
        try
        {
            CallEnded?.Invoke(this, ended);
        }
#pragma warning disable CA1031 // A subscriber's exception must not break call teardown.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            SipLog.HandlerFailed(Logger, "CallEnded handler", ended.CallId, ex);
        }
    }
}
