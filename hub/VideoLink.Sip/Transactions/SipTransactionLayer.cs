using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using VideoLink.Sip.Messages;
using VideoLink.Sip.Transport;

namespace VideoLink.Sip.Transactions;

/// <summary>What sits above the transaction layer (the core / dialog layer).</summary>
internal interface ITransactionUser
{
    /// <summary>A new request other than ACK and CANCEL; answer through the transaction.</summary>
    void OnRequest(ServerTransaction transaction);

    /// <summary>An ACK that matched no transaction: the ACK for a 2xx, which belongs to the dialog (§13.3.1.4).</summary>
    void OnAck(SipRequest ack, SipRemote source);

    /// <summary>A CANCEL matched a pending INVITE; 200 to the CANCEL was sent already (§9.2). Send 487 if still pending.</summary>
    void OnCancel(ServerTransaction invite);

    /// <summary>A response that matched no client transaction (for example a late 2xx retransmission).</summary>
    void OnStrayResponse(SipResponse response, SipRemote source);
}

/// <summary>Matches messages to transactions (RFC 3261 §17.1.3, §17.2.3) and creates new ones.</summary>
internal sealed class SipTransactionLayer : ISipMessageSink, IDisposable
{
    private readonly ConcurrentDictionary<string, ServerTransaction> _server = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ClientTransaction> _client = new(StringComparer.Ordinal);
    private readonly CompletedTransactions _completed;
    private readonly ILogger _logger;
    private int _pending; // non-INVITE server transactions handed to the TU and not yet answered finally
    private ITransactionUser? _user;

    public SipTransactionLayer(SipTransportLayer transport, SipOptions options, TimeProvider time, ILogger logger)
    {
        Transport = transport;
        Options = options;
        Time = time;
        _logger = logger;
        _completed = new CompletedTransactions(time, options.T1 * 64, options.T1);
        transport.SetSink(this);
    }

    public SipTransportLayer Transport { get; }
    public SipOptions Options { get; }
    public TimeProvider Time { get; }
    /// <summary>Server transactions still in the table: live ones and non-INVITE ones absorbing retransmissions (Timer J).</summary>
    public int ServerCount => _server.Count + _completed.Count;
    public int ClientCount => _client.Count;

    public void SetUser(ITransactionUser user) => _user = user;

    /// <summary>§17.2.3: branch + sent-by + method, ACK matching its INVITE. Pre-3261 peers fall back to dialog identifiers.</summary>
    internal static string ServerKey(SipRequest request, string? methodOverride = null)
    {
        var via = request.TopVia;
        string method = methodOverride ?? (request.Method == SipMethods.Ack ? SipMethods.Invite : request.Method);
        string? branch = via.Branch;
        if (branch is not null && branch.StartsWith(ViaHeader.BranchCookie, StringComparison.Ordinal))
        {
            return string.Concat(branch, "|", via.SentBy, "|", method);
        }
        return string.Concat(request.CallId, "|", request.CSeq.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), "|",
            request.From.Tag, "|", via.SentBy, "|", method);
    }

    private static string ClientKey(string branch, string method) => string.Concat(branch, "|", method == SipMethods.Ack ? SipMethods.Invite : method);

    public void OnMessage(SipMessage message, SipRemote source)
    {
        if (message is SipResponse response)
        {
            OnResponse(response, source);
            return;
        }
        var request = (SipRequest)message;
        var user = _user;
        if (user is null)
        {
            return;
        }
        if (request.Method == SipMethods.Ack)
        {
            if (_server.TryGetValue(ServerKey(request), out var invite) && invite.State != TransactionState.Accepted)
            {
                invite.OnAck();
                return;
            }
            user.OnAck(request, source);
            return;
        }
        string key = ServerKey(request);
        if (_server.TryGetValue(key, out var existing))
        {
            existing.OnRetransmission();
            return;
        }
        if (_completed.TryGetResponse(key, out var completedResponse, out var completedTarget))
        {
            Transport.Transmit(completedResponse, completedTarget); // §17.2.2: Completed answers a retransmission again
            return;
        }
        var transaction = new ServerTransaction(this, key, request, source);
        if (!_server.TryAdd(key, transaction))
        {
            return;
        }
        if (request.Method == SipMethods.Cancel)
        {
            // §9.2: CANCEL matches the INVITE server transaction with the same key but method INVITE.
            // A matched CANCEL always gets 200; it only has an effect while the INVITE is pending.
            if (_server.TryGetValue(ServerKey(request, SipMethods.Invite), out var invite))
            {
                transaction.Respond(transaction.CreateResponse(200, toTag: invite.Request.To.Tag is null ? SipGrammar.NewToken() : null));
                if (!invite.HasFinalResponse)
                {
                    invite.IsCancelled = true;
                    user.OnCancel(invite);
                }
            }
            else
            {
                transaction.Respond(transaction.CreateResponse(481));
            }
            return;
        }
        if (IsOverloaded(request))
        {
            Transport.Counters.Shed();
            var busy = transaction.CreateResponse(503, toTag: SipGrammar.NewToken());
            busy.AddHeader(SipHeaderNames.RetryAfter, Options.OverloadRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
            transaction.Respond(busy);
            return;
        }
        if (transaction.IsInvite)
        {
            // §17.2.1: answer 100 Trying at once so the client stops retransmitting.
            transaction.Respond(transaction.CreateResponse(100));
        }
        else
        {
            transaction.CountAsPending();
        }
        user.OnRequest(transaction);
    }

    /// <summary>Requests waiting for a final response (non-INVITE): the overload guard's measure.</summary>
    public int PendingRequests => Volatile.Read(ref _pending);

    internal void PendingStarted() => Interlocked.Increment(ref _pending);

    internal void PendingFinished() => Interlocked.Decrement(ref _pending);

    // In-dialog requests (BYE, re-INVITE, INFO …) and CANCEL always pass: they end or keep alive work already admitted.
    private bool IsOverloaded(SipRequest request) =>
        (Volatile.Read(ref _pending) >= Options.MaxPendingRequests || IsReceiveQueueLate)
        && request.To.Tag is null && request.Method != SipMethods.Cancel;

    private bool IsReceiveQueueLate => Options.MaxReceiveDelay > TimeSpan.Zero && Transport.ReceiveDelay > Options.MaxReceiveDelay;

    /// <summary>
    /// A non-INVITE server transaction over UDP sent its final response: it only has to answer retransmissions with
    /// the same bytes until Timer J (§17.2.2). It leaves the live table for a compact one (key, bytes, target) swept
    /// in bulk, so a registration storm does not keep every request and a timer alive for 64*T1. Called before the
    /// transaction leaves the live table, so a retransmission always finds one of the two.
    /// </summary>
    internal void Absorb(ServerTransaction transaction, byte[] finalResponse) =>
        _completed.Add(transaction.Key, finalResponse, transaction.Remote);

    /// <summary>Stops the Timer J sweep.</summary>
    public void Dispose() => _completed.Dispose();

    private void OnResponse(SipResponse response, SipRemote source)
    {
        var vias = response.Vias;
        if (vias.Count == 0 || vias[0].Branch is not { } branch)
        {
            Transport.Counters.Dropped();
            SipLog.Dropped(_logger, 0, source.ViaTransport, source.EndPoint, "response without branch", response.CallId);
            return;
        }
        if (_client.TryGetValue(ClientKey(branch, response.CSeq.Method), out var transaction))
        {
            transaction.OnResponse(response);
            return;
        }
        _user?.OnStrayResponse(response, source);
    }

    /// <summary>
    /// Sends a request in a new client transaction. The caller fills in everything except the top Via, which
    /// is added here with a fresh branch (§8.1.1.7) for <paramref name="target"/>'s transport.
    /// </summary>
    public ClientTransaction SendRequest(SipRequest request, SipRemote target, Action<ClientTransaction, SipResponse>? onResponse = null)
    {
        if (request.Method != SipMethods.Cancel)
        {
            AddVia(request, target);
        }
        string key = ClientKey(request.TopVia.Branch!, request.Method);
        var transaction = new ClientTransaction(this, key, request, target);
        if (onResponse is not null)
        {
            transaction.ResponseReceived += onResponse;
        }
        _client[key] = transaction;
        transaction.Start();
        return transaction;
    }

    /// <summary>Adds a top Via with a fresh branch for <paramref name="target"/> and serializes: the ACK for 2xx (§13.2.2.4).</summary>
    public byte[] PrepareStateless(SipRequest request, SipRemote target)
    {
        AddVia(request, target);
        return Parsing.SipSerializer.Serialize(request);
    }

    /// <summary>Sends a request outside any transaction (an ACK for 2xx is its own transaction, §17.1.1.3).</summary>
    public void SendRequestStateless(SipRequest request, SipRemote target) =>
        _ = Transport.SendAsync(PrepareStateless(request, target), target, CancellationToken.None).AsTask(); // fire-and-forget: a lost ACK brings another 2xx

    private void AddVia(SipRequest request, SipRemote target)
    {
        var (host, port) = Transport.LocalSentBy(target.Kind);
        var via = new ViaHeader
        {
            Transport = target.ViaTransport,
            Host = host,
            Port = port,
            Parameters = [new("branch", ViaHeader.BranchCookie + SipGrammar.NewToken(10)), new("rport", null)],
        };
        request.Headers.Insert(0, new(SipHeaderNames.Via, via.ToString()));
        request.InvalidateCache();
    }

    /// <summary>Sends a message outside any transaction: the ACK for 2xx and 2xx retransmissions (§13.3.1.4).</summary>
    public ValueTask<SipSendResult> SendStatelessAsync(SipMessage message, SipRemote target, CancellationToken cancellationToken) =>
        Transport.SendAsync(message, target, cancellationToken);

    internal void Remove(SipTransaction transaction)
    {
        switch (transaction)
        {
            case ServerTransaction s:
                _server.TryRemove(new KeyValuePair<string, ServerTransaction>(s.Key, s));
                break;
            case ClientTransaction c:
                _client.TryRemove(new KeyValuePair<string, ClientTransaction>(c.Key, c));
                break;
            default:
                break;
        }
    }
}
