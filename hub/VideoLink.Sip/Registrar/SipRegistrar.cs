using System.Globalization;
using Microsoft.Extensions.Logging;
using VideoLink.Sip.Messages;
using VideoLink.Sip.Transactions;
using VideoLink.Sip.Transport;

namespace VideoLink.Sip.Registrar;

/// <summary>One registered contact of an account (RFC 3261 §10.3).</summary>
/// <param name="Source">Where the REGISTER came from (the flow).</param>
/// <param name="Target">Where requests for this contact are sent: see <see cref="SipRegistrar.TargetFor"/>.</param>
internal sealed record SipBinding(NameAddress Contact, string ContactKey, DateTimeOffset ExpiresAt, string CallId, uint CSeq,
    SipRemote Source, SipRemote Target, string? UserAgent);

/// <summary>One current registration of an account, for the directory API.</summary>
/// <param name="Contact">The registered contact URI.</param>
/// <param name="ExpiresAt">When it lapses unless refreshed.</param>
/// <param name="Transport">"UDP", "TCP" or "WS".</param>
/// <param name="Source">Where the REGISTER came from (address:port as seen by the hub).</param>
/// <param name="UserAgent">The phone's User-Agent header, if it sent one.</param>
public sealed record SipRegistrationInfo(string Contact, DateTimeOffset ExpiresAt, string Transport, string Source, string? UserAgent);

/// <summary>Raised when an account goes online (first contact) or offline (last contact removed or expired).</summary>
public sealed class SipRegistrationChangedEventArgs(string user, bool isOnline, IReadOnlyList<string> contacts) : EventArgs
{
    public string User { get; } = user;
    public bool IsOnline { get; } = isOnline;
    public IReadOnlyList<string> Contacts { get; } = contacts;
}

/// <summary>
/// The registrar (RFC 3261 §10.3): authenticated REGISTER adds, refreshes and removes bindings; several
/// contacts per account; expiry on the pluggable clock. Bindings live in memory (re-registration rebuilds them).
/// </summary>
internal sealed class SipRegistrar : IDisposable
{
    private readonly Dictionary<string, List<SipBinding>> _bindings = new(StringComparer.Ordinal);
    private readonly SipOptions _options;
    private readonly TimeProvider _time;
    private readonly RequestAuthenticator _auth;
    private readonly Func<string, bool> _isLocalDomain;
    private readonly ILogger _logger;
    private readonly ITimer _sweep;

    public SipRegistrar(SipOptions options, TimeProvider time, RequestAuthenticator auth, Func<string, bool> isLocalDomain, ILogger logger)
    {
        _options = options;
        _time = time;
        _auth = auth;
        _isLocalDomain = isLocalDomain;
        _logger = logger;
        _sweep = time.CreateTimer(_ => Sweep(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    public event EventHandler<SipRegistrationChangedEventArgs>? RegistrationChanged;

    public int AccountCount
    {
        get
        {
            lock (_bindings)
            {
                return _bindings.Count;
            }
        }
    }

    /// <summary>Current, unexpired bindings of a user.</summary>
    public IReadOnlyList<SipBinding> Lookup(string user)
    {
        var now = _time.GetUtcNow();
        lock (_bindings)
        {
            return _bindings.TryGetValue(user, out var list) ? list.FindAll(b => b.ExpiresAt > now) : [];
        }
    }

    public async Task HandleAsync(ServerTransaction transaction, CancellationToken cancellationToken)
    {
        var request = transaction.Request;
        var to = request.To;
        // §10.3 step 1: only our own domain; never act as a registrar for others.
        if (!request.RequestUri.IsSip || !_isLocalDomain(request.RequestUri.Host) || !to.Uri.IsSip || !_isLocalDomain(to.Uri.Host))
        {
            transaction.Respond(transaction.CreateResponse(403, "Domain Not Served", SipGrammar.NewToken()));
            return;
        }
        // §10.3 step 2: no extensions are supported.
        var require = request.GetHeaderValues(SipHeaderNames.Require);
        if (require.Count > 0)
        {
            var r = transaction.CreateResponse(420, toTag: SipGrammar.NewToken());
            r.AddHeader(SipHeaderNames.Unsupported, string.Join(", ", require));
            transaction.Respond(r);
            return;
        }
        var account = await _auth.AuthenticateAsync(transaction, cancellationToken).ConfigureAwait(false);
        if (account is null)
        {
            return;
        }
        // §10.3 step 3: the authenticated user may only change its own bindings.
        if (!string.Equals(to.Uri.User, account.User, StringComparison.Ordinal))
        {
            transaction.Respond(transaction.CreateResponse(403, "Not Your Address", SipGrammar.NewToken()));
            return;
        }
        var contacts = request.Contacts;
        if (contacts.Count != request.GetHeaderValues(SipHeaderNames.Contact).Count)
        {
            transaction.Respond(transaction.CreateResponse(400, "Bad Contact", SipGrammar.NewToken()));
            return;
        }
        int? headerExpires = request.Expires;
        var now = _time.GetUtcNow();
        string user = account.User;
        bool wasOnline, isOnline;
        List<SipBinding> current;
        List<(string Contact, int Expires)>? added = null;
        lock (_bindings)
        {
            wasOnline = _bindings.TryGetValue(user, out var existing) && existing.Count > 0;
            var list = existing ?? [];
            if (contacts.Exists(c => c.IsWildcard))
            {
                // §10.3 step 6: "*" only alone and with Expires: 0.
                if (contacts.Count != 1 || headerExpires != 0)
                {
                    transaction.Respond(transaction.CreateResponse(400, "Invalid Wildcard", SipGrammar.NewToken()));
                    return;
                }
                list.RemoveAll(b => b.CallId != request.CallId || b.CSeq < request.CSeq.Number);
            }
            else
            {
                // Validate every contact first so a 423 leaves the bindings untouched.
                var changes = new List<(NameAddress Contact, int Expires)>(contacts.Count);
                foreach (var contact in contacts)
                {
                    int expires = ContactExpires(contact, headerExpires);
                    if (expires > 0 && expires < _options.MinExpires)
                    {
                        var brief = transaction.CreateResponse(423, toTag: SipGrammar.NewToken());
                        brief.AddHeader(SipHeaderNames.MinExpires, _options.MinExpires.ToString(CultureInfo.InvariantCulture));
                        transaction.Respond(brief);
                        return;
                    }
                    changes.Add((contact, Math.Min(expires, _options.MaxExpires)));
                }
                foreach (var (contact, expires) in changes)
                {
                    string key = contact.Uri.ToString();
                    int index = list.FindIndex(b => b.ContactKey == key);
                    if (index >= 0 && list[index].CallId == request.CallId && list[index].CSeq >= request.CSeq.Number)
                    {
                        continue; // §10.3 step 7: an out-of-order REGISTER does not undo a newer one.
                    }
                    bool refresh = index >= 0;
                    if (refresh)
                    {
                        list.RemoveAt(index);
                    }
                    if (expires > 0)
                    {
                        list.Add(new SipBinding(contact, key, now.AddSeconds(expires), request.CallId, request.CSeq.Number,
                            transaction.Source, TargetFor(contact.Uri, transaction.Source), request.GetHeader(SipHeaderNames.UserAgent)));
                        if (refresh)
                        {
                            SipLog.Refreshed(_logger, user, key, expires); // every phone, every few minutes: not news
                        }
                        else
                        {
                            (added ??= []).Add((key, expires)); // logged after the lock: a log sink may block
                        }
                    }
                }
            }
            list.RemoveAll(b => b.ExpiresAt <= now);
            if (list.Count > 0)
            {
                _bindings[user] = list;
            }
            else
            {
                _bindings.Remove(user);
            }
            isOnline = list.Count > 0;
            current = [.. list];
        }
        foreach (var (contact, expires) in added ?? [])
        {
            SipLog.Registered(_logger, user, contact, expires);
        }
        var ok = transaction.CreateResponse(200, toTag: SipGrammar.NewToken());
        foreach (var b in current)
        {
            long remaining = Math.Max(0, (long)(b.ExpiresAt - now).TotalSeconds);
            ok.AddHeader(SipHeaderNames.Contact, $"<{b.ContactKey}>;expires={remaining.ToString(CultureInfo.InvariantCulture)}");
        }
        ok.AddHeader(SipHeaderNames.Date, now.ToString("r", CultureInfo.InvariantCulture));
        // Raise before answering so that whoever sees the 200 also sees the presence change.
        if (wasOnline != isOnline)
        {
            Raise(user, isOnline, current);
        }
        transaction.Respond(ok);
    }

    /// <summary>
    /// Where to send requests for a contact. Streams (TCP, WebSocket) reuse the registering connection: the
    /// phone cannot be reached otherwise. On UDP the Contact is used when it names the address the REGISTER
    /// came from; a Contact with another address is behind NAT, so the observed source is used instead
    /// (the effect of RFC 3581 / RFC 5626 flows without requiring the phone to support them).
    /// </summary>
    internal static SipRemote TargetFor(SipUri contact, SipRemote source)
    {
        if (source.Kind == SipTransportKind.WebSocket)
        {
            return source; // RFC 7118 §5: a WebSocket client is reachable only over its connection.
        }
        bool sameHost = System.Net.IPAddress.TryParse(contact.Host.Trim('[', ']'), out var ip) && ip.Equals(source.EndPoint.Address);
        var contactEndPoint = sameHost ? new System.Net.IPEndPoint(ip!, contact.Port > 0 ? contact.Port : SipOptions.DefaultPort) : source.EndPoint;
        // TCP: the registering connection while it lives (ConnectionId), else a new connection to the Contact.
        return source.Kind == SipTransportKind.Tcp
            ? new SipRemote(SipTransportKind.Tcp, contactEndPoint, source.ConnectionId)
            : new SipRemote(SipTransportKind.Udp, contactEndPoint);
    }

    /// <summary>
    /// A WebSocket closed: its contacts cannot be reached any more (RFC 7118 §5), so they go at once instead of
    /// at expiry. TCP bindings stay: the phone may accept a new connection on its Contact.
    /// </summary>
    public void DropFlow(SipRemote closed)
    {
        if (closed.Kind != SipTransportKind.WebSocket)
        {
            return;
        }
        List<string>? offline = null;
        lock (_bindings)
        {
            foreach (var (user, list) in _bindings)
            {
                if (list.RemoveAll(b => b.Source.Kind == closed.Kind && b.Source.ConnectionId == closed.ConnectionId) > 0 && list.Count == 0)
                {
                    (offline ??= []).Add(user);
                }
            }
            foreach (string u in offline ?? [])
            {
                _bindings.Remove(u);
            }
        }
        foreach (string u in offline ?? [])
        {
            Raise(u, false, []);
        }
    }

    private int ContactExpires(NameAddress contact, int? headerExpires)
    {
        if (int.TryParse(contact.GetParameter("expires"), NumberStyles.None, CultureInfo.InvariantCulture, out int e))
        {
            return e;
        }
        return headerExpires ?? _options.MaxExpires;
    }

    private void Sweep()
    {
        var now = _time.GetUtcNow();
        List<string>? offline = null;
        lock (_bindings)
        {
            foreach (var (user, list) in _bindings)
            {
                if (list.RemoveAll(b => b.ExpiresAt <= now) > 0 && list.Count == 0)
                {
                    (offline ??= []).Add(user);
                }
            }
            if (offline is not null)
            {
                foreach (string u in offline)
                {
                    _bindings.Remove(u);
                }
            }
        }
        if (offline is not null)
        {
            foreach (string u in offline)
            {
                Raise(u, false, []);
            }
        }
    }

    private void Raise(string user, bool online, List<SipBinding> bindings)
    {
        SipLog.PresenceChanged(_logger, user, online ? "online" : "offline");
        var contacts = bindings.ConvertAll(b => b.ContactKey);
        try
        {
            RegistrationChanged?.Invoke(this, new SipRegistrationChangedEventArgs(user, online, contacts));
        }
#pragma warning disable CA1031 // A subscriber's failure must not break registration.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            SipLog.HandlerFailed(_logger, "RegistrationChanged", user, ex);
        }
    }

    public void Dispose() => _sweep.Dispose();
}
