using System.Net;
using System.Net.NetworkInformation;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using VideoLink.Sip.Dialogs;
using VideoLink.Sip.Media;
using VideoLink.Sip.Registrar;
using VideoLink.Sip.Transactions;
using VideoLink.Sip.Transport;

namespace VideoLink.Sip;

/// <summary>
/// The SIP server of the hub: UDP/TCP listeners (WebSocket via <see cref="HandleWebSocketAsync"/>),
/// transactions, digest-authenticated registrar, echo service and B2BUA calls between registered users.
/// </summary>
public sealed class SipServer : IAsyncDisposable
{
    /// <summary>The WebSocket subprotocol a host must accept (RFC 7118 §4).</summary>
    public const string WebSocketSubProtocol = WebSocketChannel.SubProtocol;

    private readonly SipOptions _options;
    private readonly SipTransportLayer _transport;
    private readonly SipTransactionLayer _transactions;
    private readonly SipRegistrar _registrar;
    private readonly SipCallManager _calls;
    private readonly CancellationTokenSource _stopping = new();
    // Replaced, never changed in place: the UDP receive loops read it while StartAsync adds the bound address.
    private volatile HashSet<string> _localNames = new(StringComparer.OrdinalIgnoreCase);
    private int _started;
    private int _disposed;

    public SipServer(SipOptions options, ISipAccountDirectory directory, IMediaAnchor? mediaAnchor = null,
        ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(directory);
        options.Validate();
        _options = options;
        var time = timeProvider ?? TimeProvider.System;
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("VideoLink.Sip");
        string advertised = options.GetAdvertisedHost();
        _transport = new SipTransportLayer(options, logger, advertised);
        _transactions = new SipTransactionLayer(_transport, options, time, logger);
        var digest = new DigestAuthenticator(options, time);
        var auth = new RequestAuthenticator(digest, new AuthThrottle(options, time), directory, logger);
        CollectLocalNames(advertised);
        _registrar = new SipRegistrar(options, time, auth, IsLocalDomain, logger);
        _registrar.RegistrationChanged += (s, e) => RegistrationChanged?.Invoke(this, e);
        _transport.ConnectionClosed += _registrar.DropFlow;
        var anchor = mediaAnchor ?? new UdpMediaAnchor(options.ListenIPAddress);
        _calls = new SipCallManager(_transactions, _registrar, auth, directory, anchor, IsLocalDomain, advertised.Trim('[', ']'), logger, _stopping.Token);
        _calls.CallEnded += (s, e) => CallEnded?.Invoke(this, e);
        _calls.KeyFrameRequested += (s, e) => KeyFrameRequested?.Invoke(this, e);
    }

    /// <summary>
    /// The conference engine: asked about every authenticated INVITE before the directory, so a room's dial-in number
    /// (<c>sip:&lt;number&gt;@hub</c>, optionally <c>&lt;number&gt;*&lt;pin&gt;</c>) reaches the room. Null = no conferences.
    /// </summary>
    public ISipConferenceDoor? ConferenceDoor
    {
        get => _calls.ConferenceDoor;
        set => _calls.ConferenceDoor = value;
    }

    /// <summary>A conference or dialled phone asked for a keyframe (INFO picture_fast_update, RFC 5168).</summary>
    public event EventHandler<SipKeyFrameRequestEventArgs>? KeyFrameRequested;

    /// <summary>Sends INFO picture_fast_update (RFC 5168) to the phone of a conference dial-in or dialled call. False when no such call is up.</summary>
    public bool RequestPictureFastUpdate(string callId) => _calls.RequestPictureFastUpdate(callId);

    /// <summary>An account went online (first contact registered) or offline (last one removed or expired).</summary>
    public event EventHandler<SipRegistrationChangedEventArgs>? RegistrationChanged;

    /// <summary>A call placed with <see cref="DialAsync"/>, or a conference dial-in, ended after it was answered (phone hung up, hub hung up, shutdown).</summary>
    public event EventHandler<SipCallEndedEventArgs>? CallEnded;

    public SipOptions Options => _options;
    public IPEndPoint? UdpEndPoint => _transport.UdpEndPoint;
    public IPEndPoint? TcpEndPoint => _transport.TcpEndPoint;
    public SipCounters Counters => _transport.Counters;

    /// <summary>Non-INVITE requests waiting for their final response now (the overload guard's measure).</summary>
    public int PendingRequests => _transactions.PendingRequests;
    public int ActiveCalls => _calls.ActiveCalls;

    /// <summary>How many UDP receive loops (threads) run on the SIP socket.</summary>
    internal int UdpReceiveLoops => _transport.UdpReceiveLoops;

    /// <summary>Binds the sockets and starts receiving. Idempotent.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _transport.Start();
            // Our own bound addresses are "us" too.
            if (UdpEndPoint is { } u)
            {
                _localNames = new HashSet<string>(_localNames, StringComparer.OrdinalIgnoreCase) { u.Address.ToString() };
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>Ends calls (BYE, bounded) and closes the sockets.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _started) == 0)
        {
            return;
        }
        try
        {
            await _calls.EndAllAsync(cancellationToken).WaitAsync(_options.T1 * 8, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        await DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Dials out: calls every registered contact of an account (user name or <c>sip:user@&lt;this domain&gt;</c>;
    /// foreign domains are refused, 403) with the hub's own anchored offer; the first answer wins and the other
    /// contacts are cancelled. Completes when the call is answered or has failed (busy, rejected, ring timeout →
    /// CANCEL → <see cref="SipDialStatus.NoAnswer"/>). Cancelling <paramref name="cancellationToken"/> before the
    /// answer sends CANCEL and throws <see cref="OperationCanceledException"/>. Any number may run concurrently.
    /// </summary>
    public Task<SipDialOutcome> DialAsync(SipDialRequest request, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _started) == 0 || Volatile.Read(ref _disposed) != 0)
        {
            throw new InvalidOperationException("The SIP server is not running.");
        }
        return _calls.DialAsync(request, cancellationToken);
    }

    /// <summary>Hangs up an answered dial-out or conference dial-in (BYE). False when no such call is up (already ended).</summary>
    public Task<bool> HangUpAsync(string callId, CancellationToken cancellationToken) => _calls.HangUpAsync(callId, cancellationToken);

    /// <summary>Current contact URIs of a user (empty when offline).</summary>
    public IReadOnlyList<string> GetContacts(string user) => _registrar.Lookup(user).Select(b => b.ContactKey).ToList();

    public bool IsOnline(string user) => _registrar.Lookup(user).Count > 0;

    /// <summary>Current registrations of a user (contact, expiry, transport, source, User-Agent).</summary>
    public IReadOnlyList<SipRegistrationInfo> GetRegistrations(string user) =>
        _registrar.Lookup(user).Select(b => new SipRegistrationInfo(b.ContactKey, b.ExpiresAt, b.Source.ViaTransport, b.Source.EndPoint.ToString(), b.UserAgent)).ToList();

    /// <summary>
    /// Runs SIP over an accepted WebSocket (RFC 7118) until it closes. The host must have accepted it with
    /// subprotocol <see cref="WebSocketSubProtocol"/>.
    /// </summary>
    public Task HandleWebSocketAsync(WebSocket socket, IPEndPoint remote, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(remote);
        return _transport.RunWebSocketAsync(socket, remote, cancellationToken);
    }

    private void CollectLocalNames(string advertised)
    {
        _localNames.Add(_options.Domain);
        _localNames.Add(_options.EffectiveRealm);
        _localNames.Add(advertised.Trim('[', ']'));
        _localNames.Add("localhost");
        _localNames.Add("127.0.0.1");
        _localNames.Add("::1");
        try
        {
            _localNames.Add(Dns.GetHostName());
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                foreach (var a in nic.GetIPProperties().UnicastAddresses)
                {
                    _localNames.Add(a.Address.ToString());
                }
            }
        }
        catch (NetworkInformationException)
        {
            // Without interface information only the configured names count as local.
        }
    }

    /// <summary>Whether a host part names this hub (domain, realm or one of its addresses).</summary>
    internal bool IsLocalDomain(string host) => _localNames.Contains(host.Trim('[', ']'));

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        _registrar.Dispose();
        await _transport.DisposeAsync().ConfigureAwait(false);
        _transactions.Dispose();
        _stopping.Dispose();
    }
}
