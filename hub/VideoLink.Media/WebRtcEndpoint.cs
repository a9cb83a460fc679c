using System.Collections.Concurrent;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using VideoLink.Media.Dtls;
using VideoLink.Media.Ice;
using VideoLink.Media.Net;
using VideoLink.Media.Sdp;

namespace VideoLink.Media;

/// <summary>The result of <see cref="WebRtcEndpoint.CreatePeer"/>: a peer and its answer, or why the offer was refused.</summary>
public sealed record CreatePeerResult
{
    public WebRtcPeer? Peer { get; init; }

    public SdpError Error { get; init; }

    public string ErrorMessage { get; init; } = string.Empty;

    public bool Succeeded => Peer is not null;
}

/// <summary>
/// The WebRTC media endpoint: one UDP socket shared by every browser leg (RFC 7983 demultiplexing), an ICE-lite
/// responder keyed by ufrag (RFC 8445 §2.5), DTLS-SRTP per peer, and consent freshness (RFC 7675).
/// The hub creates one, calls <see cref="Start"/>, and turns each browser offer into a peer with <see cref="CreatePeer"/>.
/// </summary>
public sealed class WebRtcEndpoint : IAsyncDisposable
{
    private readonly MediaOptions _options;
    private readonly ILogger _logger;
    private readonly DtlsCertificate _certificate = DtlsCertificate.Generate();
    private readonly MediaCounterSet _counters = new();
    private readonly ConcurrentDictionary<string, WebRtcPeer> _peersByUfrag = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<SocketAddress, WebRtcPeer> _peersByAddress = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposing;
    private readonly byte[] _stunResponse = new byte[256];
    private UdpMuxSocket? _socket;
    private SendWorker[] _sendWorkers = [];
    private int _nextSendWorker;
    private Task _receiveLoop = Task.CompletedTask;
    private Task _maintenance = Task.CompletedTask;
    private IReadOnlyList<IPEndPoint> _candidates = [];

    public WebRtcEndpoint(MediaOptions options, ILogger<WebRtcEndpoint>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        SrtpProfiles = Srtp.SrtpProfiles.ParseList(options.SrtpProfiles)
            ?? throw new ArgumentException("Media:SrtpProfiles lists no known SRTP profile.", nameof(options));
    }

    /// <summary>The SRTP profiles this endpoint accepts, most preferred first (<see cref="MediaOptions.SrtpProfiles"/>).</summary>
    internal IReadOnlyList<Srtp.SrtpProfile> SrtpProfiles { get; }

    /// <summary>The bound socket address (the real port when <see cref="MediaOptions.Port"/> is 0).</summary>
    public IPEndPoint LocalEndPoint => _socket?.LocalEndPoint ?? throw new InvalidOperationException("Not started.");

    /// <summary>Our certificate's SHA-256 fingerprint as written in answers.</summary>
    public string Fingerprint => _certificate.Fingerprint;

    public int PeerCount => _peersByUfrag.Count;

    /// <summary>Snapshot of drop and traffic counters.</summary>
    public MediaCounters Counters => _counters.Snapshot();

    /// <summary>Binds the socket and starts the receive and maintenance loops.</summary>
    public void Start()
    {
        if (_socket is not null)
        {
            return;
        }

        var bind = new IPEndPoint(IPAddress.Parse(_options.BindAddress), _options.Port);
        _socket = new UdpMuxSocket(bind, OnDatagram, OnReceiveError, _options.BatchSends);
        _candidates = BuildCandidates(_options, _socket.LocalEndPoint);
        _sendWorkers = [.. Enumerable.Range(0, _options.SendThreads).Select(i => new SendWorker(i, _options.SendQueuePackets, _socket.SendBatch, OnReceiveError, _options.PinSendThreads))];
        _receiveLoop = _socket.StartReceiveLoop(_stopping.Token);
        _maintenance = MaintainAsync(_stopping.Token);
        _logger.Listening(_socket.LocalEndPoint);
    }

    /// <summary>
    /// Answers a WebRTC offer. On success the peer is live: the browser can start ICE and DTLS against it at once.
    /// </summary>
    public CreatePeerResult CreatePeer(string offerSdp)
    {
        ArgumentNullException.ThrowIfNull(offerSdp);
        ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
        if (_socket is null)
        {
            throw new InvalidOperationException("Start the endpoint before creating peers.");
        }

        var ufrag = IceCredentials.NewUfrag();
        while (_peersByUfrag.ContainsKey(ufrag))
        {
            ufrag = IceCredentials.NewUfrag();
        }

        var password = IceCredentials.NewPassword();
        var negotiation = WebRtcAnswerBuilder.Negotiate(offerSdp, new AnswerParameters(ufrag, password, _certificate.Fingerprint, _candidates));
        if (negotiation.Error != SdpError.None)
        {
            _logger.OfferRejected(negotiation.Error, negotiation.ErrorMessage);
            return new CreatePeerResult { Error = negotiation.Error, ErrorMessage = negotiation.ErrorMessage };
        }

        var worker = _sendWorkers.Length == 0 ? null : _sendWorkers[(int)((uint)Interlocked.Increment(ref _nextSendWorker) % (uint)_sendWorkers.Length)];
        var peer = new WebRtcPeer(this, negotiation, ufrag, password, _certificate, _counters, _logger, worker);
        _peersByUfrag[ufrag] = peer;
        if (!peer.IsDtlsClient)
        {
            peer.StartDtls();
        }

        _logger.PeerCreated(peer.Id, ufrag);
        return new CreatePeerResult { Peer = peer };
    }

    /// <summary>
    /// Closes every peer and the socket. Safe to call more than once and from several callers at once (the host's stop and
    /// the container's disposal may overlap): the first caller does the work, the others wait for it.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposing, 1) != 0)
        {
            await _disposed.Task.ConfigureAwait(false);
            return;
        }

        try
        {
            await StopAsync().ConfigureAwait(false);
        }
        finally
        {
            _disposed.TrySetResult();
        }
    }

    private async Task StopAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var peer in _peersByUfrag.Values)
        {
            peer.Close("endpoint stopped");
        }

        _socket?.Dispose();
        await Task.WhenAll(_receiveLoop, _maintenance).ConfigureAwait(false);
        foreach (var worker in _sendWorkers)
        {
            worker.Dispose();
        }

        _stopping.Dispose();
    }

    internal static SocketAddress Clone(SocketAddress address)
    {
        var copy = new SocketAddress(address.Family, address.Size);
        address.Buffer.Span[..address.Size].CopyTo(copy.Buffer.Span);
        return copy;
    }

    internal void Send(ReadOnlySpan<byte> datagram, SocketAddress remote) => _socket?.Send(datagram, remote);

    internal void Remove(WebRtcPeer peer)
    {
        _peersByUfrag.TryRemove(new KeyValuePair<string, WebRtcPeer>(peer.LocalUfrag, peer));
        foreach (var entry in _peersByAddress)
        {
            if (ReferenceEquals(entry.Value, peer))
            {
                _peersByAddress.TryRemove(entry);
            }
        }
    }

    private static List<IPEndPoint> BuildCandidates(MediaOptions options, IPEndPoint bound)
    {
        var list = new List<IPEndPoint>();
        foreach (var address in options.AdvertisedAddresses)
        {
            list.Add(new IPEndPoint(IPAddress.Parse(address), bound.Port));
        }

        if (list.Count == 0 && !bound.Address.Equals(IPAddress.Any))
        {
            list.Add(bound);
        }

        if (list.Count == 0)
        {
            // Bound to every interface and nothing configured: offer each up, non-loopback IPv4 address.
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                if (nic.OperationalStatus != OperationalStatus.Up || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback)
                {
                    continue;
                }

                foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
                {
                    if (unicast.Address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(unicast.Address))
                    {
                        list.Add(new IPEndPoint(unicast.Address, bound.Port));
                    }
                }
            }
        }

        if (list.Count == 0)
        {
            list.Add(new IPEndPoint(IPAddress.Loopback, bound.Port));
        }

        return list;
    }

    private void OnReceiveError(Exception exception)
    {
        Interlocked.Increment(ref _counters.ReceiveErrors);
        _logger.ReceiveError(exception);
    }

    private void OnDatagram(Span<byte> datagram, SocketAddress remote)
    {
        Interlocked.Increment(ref _counters.DatagramsReceived);
        var kind = PacketClassifier.Classify(datagram);
        if (kind == PacketKind.Stun)
        {
            OnStun(datagram, remote);
            return;
        }

        if (kind == PacketKind.Unknown)
        {
            Interlocked.Increment(ref _counters.UnknownProtocol);
            return;
        }

        // Media and DTLS only from the pair ICE selected (RFC 8445 §12.1: packets from elsewhere are not this peer's).
        if (!_peersByAddress.TryGetValue(remote, out var peer) || peer.SelectedAddress is not { } selected || !selected.Equals(remote))
        {
            Interlocked.Increment(ref _counters.FromUnselectedAddress);
            return;
        }

        if (kind == PacketKind.Dtls)
        {
            peer.OnDtls(datagram);
        }
        else
        {
            peer.OnSrtp(datagram, kind == PacketKind.Rtcp);
        }
    }

    /// <summary>ICE-lite responder (RFC 8445 §7.3, RFC 8489 §6.3): answer authenticated Binding Requests, nothing else.</summary>
    private void OnStun(Span<byte> datagram, SocketAddress remote)
    {
        if (!StunMessage.TryParse(datagram, out var message))
        {
            Interlocked.Increment(ref _counters.MalformedStun);
            return;
        }

        if (message.Type != Stun.BindingRequest)
        {
            // Indications (keepalives) need no answer; a lite agent sends no requests, so expects no responses.
            if (message.Type != Stun.BindingIndication)
            {
                Interlocked.Increment(ref _counters.MalformedStun);
            }

            return;
        }

        // USERNAME = "<our ufrag>:<their ufrag>" (RFC 8445 §7.2.2).
        var username = message.Username(datagram);
        var colon = username.IndexOf((byte)':');
        if (colon <= 0)
        {
            Interlocked.Increment(ref _counters.StunUnknownUsername);
            return;
        }

        var localUfrag = Encoding.ASCII.GetString(username[..colon]);
        if (!_peersByUfrag.TryGetValue(localUfrag, out var peer)
            || !username[(colon + 1)..].SequenceEqual(peer.RemoteUfragBytes))
        {
            Interlocked.Increment(ref _counters.StunUnknownUsername);
            return;
        }

        if (!message.VerifyIntegrity(datagram, peer.LocalPassword))
        {
            Interlocked.Increment(ref _counters.StunIntegrityFailed);
            return;
        }

        if (message.FingerprintOffset >= 0 && !message.VerifyFingerprint(datagram))
        {
            Interlocked.Increment(ref _counters.StunFingerprintFailed);
            return;
        }

        // The address belongs to the peer whose credentials it proved; a nomination moves it to the nominating peer.
        if (!_peersByAddress.TryGetValue(remote, out var owner) || (message.UseCandidate && !ReferenceEquals(owner, peer)))
        {
            _peersByAddress[Clone(remote)] = peer;
        }

        peer.OnAuthenticatedBinding(remote, message.UseCandidate);

        // Answer only after the pair is registered: once the browser sees success it may start DTLS at once.
        var from = (IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(remote);
        var writer = new StunWriter(_stunResponse, Stun.BindingSuccess, message.TransactionId(datagram));
        writer.AddXorMappedAddress(from);
        writer.AddMessageIntegrity(peer.LocalPassword);
        writer.AddFingerprint();
        Send(_stunResponse.AsSpan(0, writer.Length), remote);
    }

    /// <summary>Once a second: close peers whose handshake stalled or whose consent expired (RFC 7675 §5.1).</summary>
    private async Task MaintainAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var now = Environment.TickCount64;
                foreach (var peer in _peersByUfrag.Values)
                {
                    CheckPeer(peer, now);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>Closes a peer whose handshake stalled or whose consent expired; closing never throws.</summary>
    private void CheckPeer(WebRtcPeer peer, long now)
    {
        if (peer.State != WebRtcPeerState.Connected)
        {
            if (now - peer.CreatedTicks > _options.HandshakeTimeoutSeconds * 1000L)
            {
                Interlocked.Increment(ref _counters.HandshakesFailed);
                peer.Close("ICE/DTLS did not complete in time");
            }
        }
        else if (now - peer.LastConsentTicks > _options.ConsentTimeoutSeconds * 1000L)
        {
            Interlocked.Increment(ref _counters.ConsentExpired);
            peer.Close("consent expired");
        }
    }
}
