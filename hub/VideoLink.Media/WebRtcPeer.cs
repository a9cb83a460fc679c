using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Org.BouncyCastle.Crypto.Tls;
using Org.BouncyCastle.Security;
using VideoLink.Media.Dtls;
using VideoLink.Media.Net;
using VideoLink.Media.Rtp;
using VideoLink.Media.Sdp;
using VideoLink.Media.Srtp;

namespace VideoLink.Media;

/// <summary>A received RTP or RTCP packet, already SRTP-unprotected. The span is valid only during the call.</summary>
public delegate void MediaPacketHandler(WebRtcPeer peer, ReadOnlySpan<byte> packet);

/// <summary>Life of a peer: ICE, then DTLS, then media, then closed.</summary>
public enum WebRtcPeerState
{
    New,
    Connecting,
    Connected,
    Closed,
}

/// <summary>
/// One browser (or other WebRTC client) leg on the shared port: ICE-lite state, the DTLS-SRTP handshake and the two
/// SRTP contexts. Created by <see cref="WebRtcEndpoint.CreatePeer"/>; media arrives through <see cref="RtpReceived"/>
/// and <see cref="RtcpReceived"/>, and leaves through <see cref="SendRtp"/> and <see cref="SendRtcp"/>.
/// </summary>
public sealed class WebRtcPeer : IDisposable
{
    private const int MaxEarlyPackets = 256;
    private const int MaxReportedStreams = 8;
    private const string ClosedByPeerReason = "DTLS close_notify from peer";

    /// <summary>
    /// How long the post-handshake DTLS read waits. A record or <see cref="Close()"/> (which completes the queue) wakes
    /// it at once, so the timeout only bounds idle wake-ups: with 1 s every connected peer woke its thread each
    /// second (100 peers ≈ 5 % of a core on the conference benchmark machine) for nothing.
    /// </summary>
    private const int PostHandshakeWaitMilliseconds = 30_000;

    private readonly WebRtcEndpoint _endpoint;
    private readonly MediaCounterSet _counters;
    private readonly ILogger _logger;
    private readonly DtlsCertificate _certificate;
    private readonly QueueDatagramTransport _dtlsTransport;
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _receiveLock = new();
    private readonly Lock _sendLock = new();
    private readonly Queue<(byte[] Buffer, int Length)> _early = new();
    private readonly byte[] _sendBuffer = new byte[UdpPacketLimit];
    private readonly Dictionary<uint, ReceiveStatistics> _receiveStatistics = [];
    private readonly uint _rtcpSsrc = (uint)System.Security.Cryptography.RandomNumberGenerator.GetInt32(1, int.MaxValue);
    private SrtpContext? _inbound;
    private readonly SendWorker? _sendWorker;
    private SrtpContext? _outbound;
    private SocketAddress? _selected;
    private long _lastConsentTicks;
    private uint _remoteVideoSsrc;
    private int _state;
    private int _dtlsStarted;
    private string _closeReason = string.Empty;

    internal const int UdpPacketLimit = 2048;

    internal WebRtcPeer(
        WebRtcEndpoint endpoint,
        NegotiationResult negotiation,
        string localUfrag,
        string localPassword,
        DtlsCertificate certificate,
        MediaCounterSet counters,
        ILogger logger,
        SendWorker? sendWorker = null)
    {
        _sendWorker = sendWorker;
        _endpoint = endpoint;
        _counters = counters;
        _logger = logger;
        _certificate = certificate;
        Id = Guid.NewGuid().ToString("N");
        LocalUfrag = localUfrag;
        LocalPassword = Encoding.ASCII.GetBytes(localPassword);
        RemoteUfrag = negotiation.RemoteUfrag;
        RemoteUfragBytes = Encoding.ASCII.GetBytes(negotiation.RemoteUfrag);
        RemoteFingerprint = negotiation.RemoteFingerprint;
        IsDtlsClient = negotiation.DtlsClient;
        AnswerSdp = negotiation.AnswerSdp;
        Tracks = negotiation.Tracks;
        Audio = Tracks.FirstOrDefault(t => t.Kind == MediaKind.Audio);
        Video = Tracks.FirstOrDefault(t => t.Kind == MediaKind.Video);
        _remoteVideoSsrc = Video is { RemoteSsrcs.Count: > 0 } ? Video.RemoteSsrcs[0] : 0;
        CreatedTicks = Environment.TickCount64;
        _dtlsTransport = new QueueDatagramTransport(SendDatagram);
    }

    public string Id { get; }

    /// <summary>The SDP answer to return to the browser.</summary>
    public string AnswerSdp { get; }

    public IReadOnlyList<NegotiatedTrack> Tracks { get; }

    public NegotiatedTrack? Audio { get; }

    public NegotiatedTrack? Video { get; }

    public WebRtcPeerState State => (WebRtcPeerState)Volatile.Read(ref _state);

    /// <summary>The remote address of the selected candidate pair, once ICE picked one.</summary>
    public IPEndPoint? RemoteEndPoint { get; private set; }

    /// <summary>Why the peer closed (consent expired, DTLS failure, closed by us, …).</summary>
    public string CloseReason => _closeReason;

    /// <summary>
    /// When above zero, every receiver report we send carries a REMB with this bitrate, capping what the peer sends
    /// (PROTOCOLS.md: without bandwidth feedback Chromium keeps raising its rate).
    /// </summary>
    public ulong ReceiveBitrateCap { get; set; }

    /// <summary>Completes when SRTP keys are in place; faults if the peer closes first.</summary>
    public Task WhenConnected => _connected.Task;

    /// <summary>Completes when the peer has closed.</summary>
    public Task WhenClosed => _closed.Task;

    /// <summary>Decrypted RTP from the peer. Runs on the receive loop: do not block, do not keep the span.</summary>
    public event MediaPacketHandler? RtpReceived;

    /// <summary>Decrypted (compound) RTCP from the peer. Same rules as <see cref="RtpReceived"/>.</summary>
    public event MediaPacketHandler? RtcpReceived;

    /// <summary>Raised once when the peer closes.</summary>
    public event EventHandler? Closed;

    internal string LocalUfrag { get; }

    /// <summary>SSRC in our RTCP: the SSRC we send video with, else a random one of this peer.</summary>
    internal uint RtcpSenderSsrc => Video?.LocalSsrc is > 0 ? Video.LocalSsrc : Audio?.LocalSsrc is > 0 ? Audio.LocalSsrc : _rtcpSsrc;

    internal byte[] LocalPassword { get; }

    internal string RemoteUfrag { get; }

    internal byte[] RemoteUfragBytes { get; }

    internal string RemoteFingerprint { get; }

    /// <summary>We run the DTLS client (the offer said <c>a=setup:passive</c>).</summary>
    internal bool IsDtlsClient { get; }

    internal long CreatedTicks { get; }

    /// <summary>Diagnostics for tests and logs: how the DTLS handshake went.</summary>
    internal int ClientHelloFragments { get; private set; }

    internal int DtlsCipherSuite { get; private set; }

    /// <summary>The SRTP protection profile the DTLS handshake agreed on (use_srtp).</summary>
    internal Srtp.SrtpProfile SrtpProfile { get; private set; }

    /// <summary>Its name as getStats shows it (<c>srtpCipher</c>), once connected.</summary>
    public string? SrtpCipher => _inbound is null ? null : SrtpProfile.Name();

    internal bool DtlsExtendedMasterSecret { get; private set; }

    internal long LastConsentTicks => Interlocked.Read(ref _lastConsentTicks);

    internal SocketAddress? SelectedAddress => Volatile.Read(ref _selected);

    /// <summary>
    /// Encrypts and sends one RTP packet on the selected pair. False if not connected or malformed, or if the send
    /// queue is full. With send workers (<see cref="MediaOptions.SendThreads"/>) the packet is copied and protected
    /// and sent by this peer's worker shortly after; the caller's span may be reused at once either way.
    /// </summary>
    public bool SendRtp(ReadOnlySpan<byte> rtp)
    {
        if (_sendWorker is { } worker)
        {
            if (Volatile.Read(ref _outbound) is null || _selected is null || rtp.Length > UdpPacketLimit - SrtpContext.MaxTagLength)
            {
                return false;
            }

            if (!worker.TryEnqueue(this, rtp))
            {
                Interlocked.Increment(ref _counters.SendQueueFull);
                return false;
            }

            return true;
        }

        lock (_sendLock)
        {
            var target = _selected;
            if (_outbound is null || target is null || rtp.Length > UdpPacketLimit - SrtpContext.MaxTagLength)
            {
                return false;
            }

            rtp.CopyTo(_sendBuffer);
            var length = _outbound.ProtectRtp(_sendBuffer, rtp.Length);
            if (length < 0)
            {
                return false;
            }

            _endpoint.Send(_sendBuffer.AsSpan(0, length), target);
            return true;
        }
    }

    /// <summary>
    /// The send worker's half of <see cref="SendRtp"/>: protects the queued packet in place (the slot has room for the
    /// tag) and says where it goes; -1 if the peer closed or lost its keys meanwhile. The worker sends it, batched with
    /// the packets of other peers.
    /// </summary>
    internal int ProtectInPlace(byte[] slot, int length, out SocketAddress? target)
    {
        lock (_sendLock)
        {
            target = _selected;
            if (_outbound is null || target is null)
            {
                return -1;
            }

            return _outbound.ProtectRtp(slot, length);
        }
    }

    /// <summary>Encrypts and sends one (compound) RTCP packet as SRTCP. False if not connected or malformed.</summary>
    public bool SendRtcp(ReadOnlySpan<byte> rtcp)
    {
        lock (_sendLock)
        {
            var target = _selected;
            if (_outbound is null || target is null
                || rtcp.Length > UdpPacketLimit - SrtpContext.MaxTagLength - SrtpContext.SrtcpIndexLength)
            {
                return false;
            }

            rtcp.CopyTo(_sendBuffer);
            var length = _outbound.ProtectRtcp(_sendBuffer, rtcp.Length);
            if (length < 0)
            {
                return false;
            }

            _endpoint.Send(_sendBuffer.AsSpan(0, length), target);
            return true;
        }
    }

    /// <summary>Asks the peer for a video keyframe with a PLI (RFC 4585 §6.3.1), which is what Chromium honours.</summary>
    public bool RequestKeyFrame()
    {
        var mediaSsrc = Volatile.Read(ref _remoteVideoSsrc);
        if (mediaSsrc == 0)
        {
            return false;
        }

        Span<byte> pli = stackalloc byte[12];
        RtcpWriter.WritePli(pli, RtcpSenderSsrc, mediaSsrc);
        return SendRtcp(pli);
    }

    /// <summary>
    /// Caps the peer's sending bitrate with a REMB (draft-alvestrand-rmcat-remb). Without bandwidth feedback Chromium
    /// keeps raising its rate; the router sends this about once a second for each publisher.
    /// </summary>
    public bool SendBitrateCap(ulong bitsPerSecond)
    {
        var video = Volatile.Read(ref _remoteVideoSsrc);
        Span<uint> ssrcs = stackalloc uint[2];
        var count = 0;
        if (video != 0)
        {
            ssrcs[count++] = video;
        }

        if (Audio is { RemoteSsrcs.Count: > 0 })
        {
            ssrcs[count++] = Audio.RemoteSsrcs[0];
        }

        Span<byte> remb = stackalloc byte[32];
        var length = RtcpWriter.WriteRemb(remb, RtcpSenderSsrc, bitsPerSecond, ssrcs[..count]);
        return SendRtcp(remb[..length]);
    }

    /// <summary>Closes the peer and frees its resources; safe to call more than once.</summary>
    public void Close() => Close("closed by application");

    public void Dispose() => Close();

    internal void Close(string reason)
    {
        if (Interlocked.Exchange(ref _state, (int)WebRtcPeerState.Closed) == (int)WebRtcPeerState.Closed)
        {
            return;
        }

        _closeReason = reason;
        _logger.PeerClosed(Id, reason);
        _dtlsTransport.Close();
        _endpoint.Remove(this);
        lock (_receiveLock)
        {
            while (_early.TryDequeue(out var held))
            {
                ArrayPool<byte>.Shared.Return(held.Buffer);
            }

            _inbound?.Dispose();
            _inbound = null;
        }

        lock (_sendLock)
        {
            _outbound?.Dispose();
            _outbound = null;
        }

        _connected.TrySetException(new InvalidOperationException("Peer closed before connecting: " + reason));
        _ = _connected.Task.Exception; // observed: a peer that never connected is normal, not an unobserved fault
        _closed.TrySetResult();
        try
        {
            Closed?.Invoke(this, EventArgs.Empty);
        }
#pragma warning disable CA1031 // An application handler's failure must not stop the maintenance loop or the receive loop.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _logger.HandlerFailed(Id, ex);
        }
    }

    /// <summary>
    /// Starts DTLS on its own thread (BouncyCastle's handshake API is blocking). As server we start at once and wait
    /// for the ClientHello; as client we start when ICE has selected a pair, so the ClientHello has somewhere to go.
    /// </summary>
    internal void StartDtls()
    {
        if (Interlocked.Exchange(ref _dtlsStarted, 1) == 0)
        {
            // Fire-and-forget: RunDtls catches everything and closes the peer on failure.
            _ = Task.Factory.StartNew(RunDtls, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
    }

    /// <summary>
    /// An authenticated Binding Request arrived (RFC 8445 §7.3): the browser is controlling; USE-CANDIDATE nominates.
    /// Until a nomination, the first pair that passed a check carries DTLS, so Chromium may start the handshake early.
    /// A later nomination of another pair moves us there too: Chromium switches its selected pair when a better one
    /// succeeds (here: another host candidate of the same machine, moments after the first) and sends media from it
    /// at once; holding on to the first nomination dropped all of that media as "from an unselected address".
    /// Returns true if the selected pair changed.
    /// </summary>
    internal bool OnAuthenticatedBinding(SocketAddress from, bool useCandidate)
    {
        var current = _selected;
        if (current is not null && current.Equals(from))
        {
            // RFC 7675 §5.1: consent is per candidate pair; only checks on the selected pair refresh it.
            Interlocked.Exchange(ref _lastConsentTicks, Environment.TickCount64);
            return false;
        }

        if (current is null || useCandidate)
        {
            var copy = WebRtcEndpoint.Clone(from);
            Interlocked.Exchange(ref _lastConsentTicks, Environment.TickCount64);
            RemoteEndPoint = (IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(copy);
            Volatile.Write(ref _selected, copy);
            if (State == WebRtcPeerState.New)
            {
                Interlocked.CompareExchange(ref _state, (int)WebRtcPeerState.Connecting, (int)WebRtcPeerState.New);
            }

            _logger.PairSelected(Id, RemoteEndPoint.ToString(), useCandidate);
            if (IsDtlsClient)
            {
                StartDtls();
            }

            return true;
        }

        return false;
    }

    internal void OnDtls(ReadOnlySpan<byte> record)
    {
        // Diagnostics: ClientHello records (content type 22, handshake type 1, RFC 6347 §4.2.2). Chromium's is
        // ~1.4 KB with post-quantum key shares, so it arrives in several fragments.
        if (record.Length > 13 && record[0] == 22 && record[13] == 1)
        {
            ClientHelloFragments++;
        }

        if (!_dtlsTransport.Enqueue(record))
        {
            Interlocked.Increment(ref _counters.DtlsDropped);
        }
    }

    /// <summary>SRTP or SRTCP from the selected pair. Before the keys exist packets are held, not dropped.</summary>
    internal void OnSrtp(Span<byte> packet, bool isRtcp)
    {
        lock (_receiveLock)
        {
            if (State == WebRtcPeerState.Closed)
            {
                return;
            }

            if (_inbound is null)
            {
                Hold(packet, isRtcp);
                return;
            }

            Unprotect(packet, isRtcp);
        }
    }

    private void Hold(ReadOnlySpan<byte> packet, bool isRtcp)
    {
        if (_early.Count >= MaxEarlyPackets)
        {
            Interlocked.Increment(ref _counters.EarlyPacketsDropped);
            return;
        }

        // The first keyframe is usually in these packets (PROTOCOLS.md "SRTP traps").
        var buffer = ArrayPool<byte>.Shared.Rent(packet.Length + 1);
        packet.CopyTo(buffer);
        buffer[packet.Length] = isRtcp ? (byte)1 : (byte)0;
        _early.Enqueue((buffer, packet.Length));
        Interlocked.Increment(ref _counters.EarlyPacketsHeld);
    }

    private void Unprotect(Span<byte> packet, bool isRtcp)
    {
        int length;
        var result = isRtcp ? _inbound!.UnprotectRtcp(packet, out length) : _inbound!.UnprotectRtp(packet, out length);
        switch (result)
        {
            case SrtpResult.Ok:
                break;
            case SrtpResult.AuthenticationFailed:
                Interlocked.Increment(ref _counters.SrtpAuthenticationFailed);
                return;
            case SrtpResult.Replayed:
                Interlocked.Increment(ref _counters.SrtpReplayed);
                return;
            default:
                Interlocked.Increment(ref _counters.MalformedRtp);
                return;
        }

        var plain = packet[..length];
        if (isRtcp)
        {
            Interlocked.Increment(ref _counters.RtcpDelivered);
            AnswerSenderReports(plain);
            Raise(RtcpReceived, plain);
        }
        else
        {
            var payloadType = plain[1] & 0x7F;
            var ssrc = BinaryPrimitives.ReadUInt32BigEndian(plain[8..]);
            var clockRate = Video is not null && payloadType == Video.PayloadType ? Video.ClockRate
                : Audio is not null && payloadType == Audio.PayloadType ? Audio.ClockRate : 0;
            if (Video is not null && payloadType == Video.PayloadType)
            {
                Volatile.Write(ref _remoteVideoSsrc, ssrc);
            }

            if (clockRate > 0)
            {
                if (!_receiveStatistics.TryGetValue(ssrc, out var statistics) && _receiveStatistics.Count < MaxReportedStreams)
                {
                    statistics = new ReceiveStatistics(ssrc, clockRate);
                    _receiveStatistics.Add(ssrc, statistics);
                }

                var sequence = BinaryPrimitives.ReadUInt16BigEndian(plain[2..]);
                var skipped = statistics?.OnPacket(sequence, BinaryPrimitives.ReadUInt32BigEndian(plain[4..]), Environment.TickCount64) ?? 0;
                if (skipped > 0 && Video is not null && payloadType == Video.PayloadType)
                {
                    RequestRetransmission(ssrc, sequence, skipped);
                }
            }

            Interlocked.Increment(ref _counters.RtpDelivered);
            Raise(RtpReceived, plain);
        }
    }

    /// <summary>Runs an application handler; a throwing handler is logged and counted, never fatal to the loop.</summary>
    private void Raise(MediaPacketHandler? handler, ReadOnlySpan<byte> packet)
    {
        if (handler is null)
        {
            return;
        }

        try
        {
            handler(this, packet);
        }
#pragma warning disable CA1031 // See summary: the receive path must survive any handler.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Interlocked.Increment(ref _counters.HandlerErrors);
            _logger.HandlerFailed(Id, ex);
        }
    }

    /// <summary>
    /// A gap in the peer's video sequence numbers: ask for the missing packets at once with one generic NACK
    /// (RFC 4585 §6.2.1; we answered <c>a=rtcp-fb nack</c>). Gaps wider than one NACK entry (17 packets) are
    /// left to the keyframe logic: retransmitting that much would arrive too late to help.
    /// </summary>
    private void RequestRetransmission(uint ssrc, ushort sequence, int skipped)
    {
        if (skipped > 17)
        {
            return;
        }

        var first = (ushort)(sequence - skipped);
        ushort bitmask = 0;
        for (var i = 1; i < skipped; i++)
        {
            bitmask |= (ushort)(1 << (i - 1));
        }

        Span<byte> nack = stackalloc byte[16];
        RtcpWriter.WriteNack(nack, RtcpSenderSsrc, ssrc, first, bitmask);
        SendRtcp(nack);
    }

    /// <summary>
    /// Each sender report from the peer is answered with a receiver report for every stream we receive (true loss,
    /// jitter, LSR/DLSR — RFC 3550 §6.4.2), plus a REMB when <see cref="ReceiveBitrateCap"/> is set. Runs under the
    /// receive lock, so the statistics need no further locking.
    /// </summary>
    private void AnswerSenderReports(ReadOnlySpan<byte> rtcp)
    {
        var sawSenderReport = false;
        var reader = new RtcpReader(rtcp);
        var now = Environment.TickCount64;
        while (reader.TryRead(out var packet))
        {
            if (packet.PacketType == RtcpType.SenderReport && packet.Length >= 28)
            {
                sawSenderReport = true;
                if (_receiveStatistics.TryGetValue(packet.SenderSsrc, out var statistics))
                {
                    statistics.OnSenderReport(BinaryPrimitives.ReadUInt64BigEndian(rtcp[(packet.Offset + 8)..]), now);
                }
            }
        }

        if (!sawSenderReport || _receiveStatistics.Count == 0)
        {
            return;
        }

        Span<RtcpReportBlock> blocks = stackalloc RtcpReportBlock[MaxReportedStreams];
        Span<uint> ssrcs = stackalloc uint[MaxReportedStreams];
        var count = 0;
        foreach (var statistics in _receiveStatistics.Values)
        {
            ssrcs[count] = statistics.Ssrc;
            blocks[count++] = statistics.TakeReportBlock(now);
        }

        Span<byte> report = stackalloc byte[8 + (24 * MaxReportedStreams) + 20 + (4 * MaxReportedStreams)];
        var length = RtcpWriter.WriteReceiverReport(report, RtcpSenderSsrc, blocks[..count]);
        var cap = ReceiveBitrateCap;
        if (cap > 0)
        {
            length += RtcpWriter.WriteRemb(report[length..], RtcpSenderSsrc, cap, ssrcs[..count]);
        }

        SendRtcp(report[..length]);
    }

    /// <summary>
    /// Puts the SRTP contexts in place and replays the packets held meanwhile. False if the peer closed meanwhile.
    /// </summary>
    internal bool InstallKeys(SrtpMasterKey receiveKey, SrtpMasterKey sendKey)
    {
        lock (_sendLock)
        {
            _outbound = new SrtpContext(sendKey);
        }

        lock (_receiveLock)
        {
            if (State == WebRtcPeerState.Closed)
            {
                lock (_sendLock)
                {
                    _outbound?.Dispose();
                    _outbound = null;
                }

                return false;
            }

            _inbound = new SrtpContext(receiveKey);
            Interlocked.CompareExchange(ref _state, (int)WebRtcPeerState.Connected, (int)WebRtcPeerState.Connecting);
            Interlocked.CompareExchange(ref _state, (int)WebRtcPeerState.Connected, (int)WebRtcPeerState.New);
            while (_early.TryDequeue(out var held))
            {
                var isRtcp = held.Buffer[held.Length] == 1;
                Unprotect(held.Buffer.AsSpan(0, held.Length), isRtcp);
                ArrayPool<byte>.Shared.Return(held.Buffer);
            }
        }

        // Consent is counted from the moment media may flow.
        Interlocked.Exchange(ref _lastConsentTicks, Math.Max(Interlocked.Read(ref _lastConsentTicks), Environment.TickCount64));
        _connected.TrySetResult();
        return true;
    }

    private void RunDtls()
    {
        var server = IsDtlsClient ? null : new DtlsSrtpServer(_certificate, RemoteFingerprint, _endpoint.SrtpProfiles);
        var client = IsDtlsClient ? new DtlsSrtpClient(_certificate, RemoteFingerprint, _endpoint.SrtpProfiles) : null;
        DtlsTransport dtls;
        try
        {
            byte[]? material;
            if (client is not null)
            {
                dtls = new DtlsClientProtocol(new SecureRandom()).Connect(client, _dtlsTransport);
                material = client.SrtpKeyingMaterial;
                SrtpProfile = client.SelectedSrtpProfile;
                DtlsCipherSuite = client.SelectedCipherSuiteId;
            }
            else
            {
                dtls = new DtlsServerProtocol(new SecureRandom()).Accept(server!, _dtlsTransport);
                material = server!.SrtpKeyingMaterial;
                SrtpProfile = server.SelectedSrtpProfile;
                DtlsCipherSuite = server.SelectedCipherSuiteId;
                DtlsExtendedMasterSecret = server.ExtendedMasterSecret;
            }

            // RFC 5764 §4.2: the client protects with the client key, the server with the server key.
            var (clientKey, serverKey) = SrtpMasterKey.FromDtlsExporter(material, SrtpProfile);
            var installed = client is not null ? InstallKeys(serverKey, clientKey) : InstallKeys(clientKey, serverKey);
            if (!installed)
            {
                return;
            }

            _logger.DtlsConnected(Id, DtlsCipherSuite, DtlsExtendedMasterSecret, SrtpProfile.Name());
        }
#pragma warning disable CA1031 // A failed handshake is a failed peer, never a failed process.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (State != WebRtcPeerState.Closed)
            {
                Interlocked.Increment(ref _counters.HandshakesFailed);
                _logger.DtlsFailed(Id, ex);
                Close("DTLS failed: " + ex.Message);
            }

            return;
        }

        try
        {
            ServeDtlsAfterHandshake(dtls, () => server?.LastAlertReceived ?? client?.LastAlertReceived);
        }
#pragma warning disable CA1031 // After the handshake a DTLS error ends this peer only.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            // BouncyCastle reports the browser's close_notify (pc.close()) as an exception from Receive.
            var alert = server?.LastAlertReceived ?? client?.LastAlertReceived;
            Close(alert == AlertDescription.close_notify ? ClosedByPeerReason : "DTLS transport ended: " + ex.Message);
        }
    }

    /// <summary>
    /// Keeps reading DTLS after the handshake so BouncyCastle can retransmit its last flight if the browser
    /// repeats its Finished, and so a close_notify (RFC 5246 §7.2.1) ends the peer at once.
    /// </summary>
    private void ServeDtlsAfterHandshake(DtlsTransport dtls, Func<byte?> lastAlert)
    {
        var buffer = new byte[UdpPacketLimit];
        while (State != WebRtcPeerState.Closed)
        {
            dtls.Receive(buffer, 0, buffer.Length, PostHandshakeWaitMilliseconds);
            if (lastAlert() == AlertDescription.close_notify)
            {
                Close(ClosedByPeerReason);
            }
        }
    }

    private void SendDatagram(ReadOnlySpan<byte> datagram)
    {
        var target = _selected;
        if (target is not null)
        {
            _endpoint.Send(datagram, target);
        }
    }
}
