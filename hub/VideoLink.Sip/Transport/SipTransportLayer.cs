using System.Net;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using VideoLink.Sip.Messages;
using VideoLink.Sip.Parsing;

namespace VideoLink.Sip.Transport;

/// <summary>Receives every well-formed message the transports deliver.</summary>
internal interface ISipMessageSink
{
    /// <summary>Called on the receive loop: must not block; exceptions are caught and counted.</summary>
    void OnMessage(SipMessage message, SipRemote source);
}

/// <summary>
/// Owns the UDP socket, the TCP listener and connections, and the WebSocket connections. Turns bytes into
/// messages (or 400s and counted drops), fills in rport/received (RFC 3581) and routes responses (RFC 3261 §18.2.2).
/// </summary>
internal sealed class SipTransportLayer : IAsyncDisposable
{
    private static readonly byte[] Pong = "\r\n"u8.ToArray();

    private readonly SipOptions _options;
    private readonly ILogger _logger;
    private readonly UdpChannel _udp;
    private readonly TcpChannel _tcp;
    private readonly WebSocketChannel _ws;
    private ISipMessageSink? _sink;

    private readonly string _advertisedHost;

    public SipTransportLayer(SipOptions options, ILogger logger, string advertisedHost)
    {
        _options = options;
        _advertisedHost = advertisedHost;
        _logger = logger;
        _udp = new UdpChannel(this, logger);
        _tcp = new TcpChannel(this, logger);
        _ws = new WebSocketChannel(this, logger);
    }

    public SipCounters Counters { get; } = new();
    public int MaxMessageSize => _options.MaxMessageSize;
    public TimeSpan IncompleteMessageTimeout => _options.IncompleteMessageTimeout;
    public IPEndPoint? UdpEndPoint => _udp.LocalEndPoint;
    public IPEndPoint? TcpEndPoint => _tcp.LocalEndPoint;

    /// <summary>How many UDP receive loops run.</summary>
    public int UdpReceiveLoops => _udp.LoopCount;

    private long _receiveDelayTicks;

    /// <summary>
    /// How long the latest UDP datagram waited in the socket's receive queue before a loop read it (zero where the
    /// kernel cannot say). The overload guard sheds new requests while it exceeds <see cref="SipOptions.MaxReceiveDelay"/>.
    /// </summary>
    public TimeSpan ReceiveDelay => TimeSpan.FromTicks(Volatile.Read(ref _receiveDelayTicks));

    internal void NoteReceiveDelay(TimeSpan delay) => Volatile.Write(ref _receiveDelayTicks, delay.Ticks);

    /// <summary>
    /// The last measured delay was at least half the shedding threshold: the loops then measure every datagram
    /// instead of once a millisecond, so a request read just after a late one is judged by its own wait, not the
    /// late one's (which would refuse it, or keep refusing after the queue has drained).
    /// </summary>
    internal bool ReceiveDelayIsNearLimit =>
        _options.MaxReceiveDelay > TimeSpan.Zero && Volatile.Read(ref _receiveDelayTicks) * 2 >= _options.MaxReceiveDelay.Ticks;

    public void SetSink(ISipMessageSink sink) => _sink = sink;

    /// <summary>A TCP or WebSocket connection ended (the flow is gone).</summary>
    public event Action<SipRemote>? ConnectionClosed;

    internal void OnConnectionClosed(SipRemote remote)
    {
        try
        {
            ConnectionClosed?.Invoke(remote);
        }
#pragma warning disable CA1031 // A subscriber's failure must not break the connection loop's cleanup.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            SipLog.HandlerFailed(_logger, "ConnectionClosed", remote.ToString(), ex);
        }
    }

    public void Start()
    {
        if (_options.UdpPort >= 0)
        {
            _udp.Start(new IPEndPoint(_options.ListenIPAddress, _options.UdpPort), _options.EffectiveUdpReceiveLoops);
        }
        if (_options.TcpPort >= 0)
        {
            _tcp.Start(new IPEndPoint(_options.ListenIPAddress, _options.TcpPort));
        }
    }

    /// <summary>Runs one accepted WebSocket (RFC 7118) until it closes.</summary>
    public Task RunWebSocketAsync(WebSocket socket, IPEndPoint remote, CancellationToken cancellationToken) =>
        _ws.RunAsync(socket, remote, cancellationToken);

    /// <summary>Local host and port to put in Via/Contact for a transport.</summary>
    public (string Host, int Port) LocalSentBy(SipTransportKind kind)
    {
        int port = kind switch
        {
            SipTransportKind.Tcp => _tcp.LocalEndPoint?.Port ?? 0,
            _ => _udp.LocalEndPoint?.Port ?? 0,
        };
        return (_advertisedHost, port);
    }

    /// <summary>
    /// Processes received bytes. Returns how many were used; 0 with a stream means "need more".
    /// <paramref name="close"/> is set when a stream lost its framing and must be dropped.
    /// </summary>
    internal int ProcessInbound(ReadOnlySpan<byte> data, SipRemote source, SipFraming framing, out bool close)
    {
        close = false;
        var result = SipParser.Parse(data, framing, _options.MaxMessageSize);
        switch (result.Status)
        {
            case SipParseStatus.NeedMoreData:
                return 0;
            case SipParseStatus.KeepAlive:
                Counters.KeepAlive();
                // RFC 5626 §3.5.1: answer a double-CRLF ping with a single CRLF pong.
                if (result.Consumed >= 4)
                {
                    Transmit(Pong, source); // a lost pong only costs the peer a retry
                }
                return framing == SipFraming.Datagram ? data.Length : result.Consumed;
            case SipParseStatus.Invalid:
                HandleInvalid(result, data.Length, source);
                if (result.Consumed == 0)
                {
                    close = framing == SipFraming.Stream;
                    return data.Length;
                }
                return result.Consumed;
            default:
                var message = result.Message!;
                if (message is SipRequest request)
                {
                    ApplyReceived(request, source);
                }
                try
                {
                    _sink?.OnMessage(message, source);
                }
#pragma warning disable CA1031 // The receive loop must survive any handler failure (STYLE.md §7).
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    SipLog.HandlerFailed(_logger, (message as SipRequest)?.Method ?? "response", message.CallId, ex);
                }
                // Counted after the stack has taken it in, so a count seen means "processed".
                Counters.Received();
                return result.Consumed;
        }
    }

    private void HandleInvalid(SipParseResult result, int length, SipRemote source)
    {
        SipLog.Dropped(_logger, length, source.ViaTransport, source.EndPoint, result.Error.ToString(), result.Detail);
        if (!SipParser.CanAnswer(result.Partial))
        {
            Counters.Dropped();
            return;
        }
        var partial = result.Partial!;
        int code = result.Error switch
        {
            SipParseError.MessageTooLarge => 513,
            SipParseError.UnsupportedVersion => 505,
            _ => 400,
        };
        string reason = code switch
        {
            513 => "Message Too Large",
            505 => "Version Not Supported",
            _ => "Bad Request (" + result.Error.ToString() + ")",
        };
        // Only the top Via matters for routing the answer (§18.2.2); do not trust the rest.
        var response = new SipResponse { StatusCode = code, ReasonPhrase = reason };
        var topVia = partial.GetHeaderValues(SipHeaderNames.Via)[0];
        ViaHeader.TryParse(topVia, out var via);
        ApplyReceived(via, source);
        response.Headers.Add(new(SipHeaderNames.Via, via.ToString()));
        response.Headers.Add(new(SipHeaderNames.From, partial.GetHeader(SipHeaderNames.From)!));
        response.Headers.Add(new(SipHeaderNames.To, partial.GetHeader(SipHeaderNames.To)!));
        response.Headers.Add(new(SipHeaderNames.CallId, partial.GetHeader(SipHeaderNames.CallId)!));
        response.Headers.Add(new(SipHeaderNames.CSeq, partial.GetHeader(SipHeaderNames.CSeq)!));
        Counters.BadRequest();
        var target = ResponseTarget(via, source);
        Transmit(SipSerializer.Serialize(response), target); // a stateless 400 has no retry
    }

    /// <summary>RFC 3581 §4 and RFC 3261 §18.2.1: note where the request really came from.</summary>
    internal static void ApplyReceived(SipRequest request, SipRemote source)
    {
        if (ApplyReceived(request.TopVia, source))
        {
            request.CommitVias();
        }
    }

    private static bool ApplyReceived(ViaHeader via, SipRemote source)
    {
        string ip = source.AddressText;
        bool changed = false;
        if (via.HasRport)
        {
            via.SetParameter("rport", source.PortText);
            via.SetParameter("received", ip);
            changed = true;
        }
        else if (!string.Equals(via.Host.Trim('[', ']'), ip, StringComparison.OrdinalIgnoreCase))
        {
            via.SetParameter("received", ip);
            changed = true;
        }
        return changed;
    }

    /// <summary>Where a response to a request goes (RFC 3261 §18.2.2, RFC 3581 §4).</summary>
    public static SipRemote ResponseTarget(SipRequest request, SipRemote source) => ResponseTarget(request.TopVia, source);

    private static SipRemote ResponseTarget(ViaHeader via, SipRemote source)
    {
        if (source.IsReliable)
        {
            return source;
        }
        string host = via.Received ?? via.Host;
        int port = via.RportValue > 0 ? via.RportValue : via.Port > 0 ? via.Port : 5060;
        if (port == source.EndPoint.Port && string.Equals(host, source.AddressText, StringComparison.Ordinal))
        {
            return source; // the usual case (rport, or no NAT): answer where it came from, without a new remote
        }
        return IPAddress.TryParse(host.Trim('[', ']'), out var ip)
            ? new SipRemote(SipTransportKind.Udp, new IPEndPoint(ip, port))
            : source;
    }

    public ValueTask<SipSendResult> SendAsync(SipMessage message, SipRemote target, CancellationToken cancellationToken) =>
        SendAsync(SipSerializer.Serialize(message), target, cancellationToken);

    /// <summary>
    /// Sends without waiting for the outcome (counted and logged like any send): UDP goes out synchronously on this
    /// thread, a stream send runs on its own. For retransmissions, answers to retransmissions and stateless answers,
    /// where the timers or the peer's retry cover a loss.
    /// </summary>
    public void Transmit(byte[] data, SipRemote target)
    {
        if (target.Kind == SipTransportKind.Udp)
        {
            Count(_udp.Send(data, target.EndPoint), target);
            return;
        }
        _ = SendAsync(data, target, CancellationToken.None).AsTask(); // fire-and-forget: see above
    }

    public ValueTask<SipSendResult> SendAsync(ReadOnlyMemory<byte> data, SipRemote target, CancellationToken cancellationToken) =>
        target.Kind == SipTransportKind.Udp
            ? ValueTask.FromResult(Count(_udp.Send(data.Span, target.EndPoint), target))
            : SendStreamAsync(data, target, cancellationToken);

    private async ValueTask<SipSendResult> SendStreamAsync(ReadOnlyMemory<byte> data, SipRemote target, CancellationToken cancellationToken)
    {
        var result = target.Kind switch
        {
            SipTransportKind.Tcp => await _tcp.SendAsync(data, target, cancellationToken).ConfigureAwait(false),
            SipTransportKind.WebSocket => await _ws.SendAsync(data, target, cancellationToken).ConfigureAwait(false),
            _ => SipSendResult.Failed,
        };
        return Count(result, target);
    }

    private SipSendResult Count(SipSendResult result, SipRemote target)
    {
        if (result == SipSendResult.Sent)
        {
            Counters.Sent();
        }
        else
        {
            Counters.SendFailure();
            SipLog.SendFailed(_logger, target.ViaTransport, target.EndPoint, result.ToString());
        }
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        await _udp.DisposeAsync().ConfigureAwait(false);
        await _tcp.DisposeAsync().ConfigureAwait(false);
        await _ws.DisposeAsync().ConfigureAwait(false);
    }
}
