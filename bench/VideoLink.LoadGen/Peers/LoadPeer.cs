using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Tls;
using Org.BouncyCastle.Security;
using VideoLink.LoadGen.Measure;
using VideoLink.Media.Dtls;
using VideoLink.Media.Ice;
using VideoLink.Media.Net;
using VideoLink.Media.Rtp;
using VideoLink.Media.Srtp;
using VideoLink.Sip.Transport;

namespace VideoLink.LoadGen.Peers;

/// <summary>
/// One simulated WebRTC client on its own UDP socket (127.0.0.1): ICE connectivity checks with short-term credentials
/// (RFC 8445 §7.2, controlling or controlled, answering the far side's checks too — Janus is a full agent, the hub is
/// ICE-lite), the DTLS client role of DTLS-SRTP (RFC 5764, our offers and answers say <c>a=setup:active</c>) with
/// VideoLink.Media's <see cref="DtlsSrtpClient"/>, and SRTP with its <see cref="SrtpContext"/>. A receiver unprotects
/// every RTP packet and reads the publisher's <see cref="PacketStamp"/>; a publisher only sends. A receiver may instead
/// live behind a <see cref="ReceiverHost"/>: an address of its own on the host's shared socket.
/// </summary>
internal sealed class LoadPeer : IAsyncDisposable
{
    private readonly Socket? _socket;
    private readonly ReceiverHost? _host;
    private readonly IPEndPoint _local;
    private readonly DtlsCertificate _certificate;
    private readonly QueueDatagramTransport _dtls;
    private readonly CancellationTokenSource _stop = new();
    private readonly byte[] _localPassword;
    private readonly byte[] _sendBuffer = new byte[2048];
    private readonly byte[] _responseBuffer = new byte[512];
    private readonly ulong _tieBreaker = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
    private readonly TaskCompletionSource _checkSucceeded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _remoteChecked = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly MeasurementWindow? _window;
    private readonly ReceiveQueueDelay? _arrival;
    private readonly uint _delayPhase = (uint)RandomNumberGenerator.GetInt32(1 << 16);
    private Task _receiveLoop = Task.CompletedTask;
    private RemoteDescription? _remote;
    private SocketAddress? _remoteAddress;
    private byte[] _remotePassword = [];
    private SrtpContext? _inbound;
    private SrtpContext? _outbound;
    private volatile bool _dtlsDone;
    private long _rtpPackets;

    public LoadPeer(IPAddress localAddress, DtlsCertificate certificate, bool controlling, ReceiverStats? stats, MeasurementWindow? window)
    {
        _certificate = certificate;
        Controlling = controlling;
        Stats = stats;
        _window = window;
        _localPassword = Encoding.ASCII.GetBytes(Password);
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        SetReceiveBuffer(_socket, ReceiveBufferBytes);
        _socket.Bind(new IPEndPoint(localAddress, 0));
        _local = (IPEndPoint)_socket.LocalEndPoint!;
        _arrival = stats is null ? null : ReceiveQueueDelay.TryCreate(_socket);
        _dtls = new QueueDatagramTransport(SendRaw);
    }

    /// <summary>A receiver behind <paramref name="host"/>: the host reads for it and hands it its datagrams.</summary>
    public LoadPeer(ReceiverHost host, DtlsCertificate certificate, bool controlling, ReceiverStats stats, MeasurementWindow window)
    {
        _certificate = certificate;
        Controlling = controlling;
        Stats = stats;
        _window = window;
        _localPassword = Encoding.ASCII.GetBytes(Password);
        _host = host;
        _local = host.Attach(this);
        _dtls = new QueueDatagramTransport(SendRaw);
    }

    /// <summary>
    /// Receive buffer per socket: a few hundred milliseconds of a receiver's stream, so a scheduling stall of the
    /// generator on a busy machine does not show up as forwarding loss.
    /// </summary>
    public const int ReceiveBufferBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Every how many RTP packets a receiver runs the full SRTP unprotect (authenticate, replay window, decrypt); the
    /// others only have their 16-byte stamp decrypted (<see cref="SrtpContext.DecryptTailUnverified"/>). 1 verifies
    /// every packet; the default 8 keeps a real check on every stream while leaving the 2 cores to the server under
    /// test (the generator's 300 receivers otherwise cost as much CPU as the server's fan-out). `--verify-every N`.
    /// </summary>
    public static int VerifyEvery { get; set; } = 8;

    /// <summary>
    /// Each receiver times one publisher packet in this many (its own random phase, so together they time every packet,
    /// keyframes included): the kernel's arrival stamp is one more syscall per packet, which the server under test would
    /// otherwise pay for in CPU on these shared cores. Loss is still counted on every packet.
    /// </summary>
    public static int DelayEvery { get; set; } = 4;

    public string Ufrag { get; } = IceCredentials.NewUfrag();

    public string Password { get; } = IceCredentials.NewPassword();

    public string Fingerprint => _certificate.Fingerprint;

    public IPEndPoint LocalEndPoint => _local;

    public bool Controlling { get; }

    public ReceiverStats? Stats { get; }

    /// <summary>The far side's port on our pair (its socket, whose kernel drops we read).</summary>
    public int RemotePort => _remote?.Candidate.Port ?? 0;

    public bool IsConnected => Volatile.Read(ref _outbound) is not null;

    /// <summary>Held by the signalling layer (WHEP resource URL, Janus handle id) for tear-down.</summary>
    public string? SessionTag { get; set; }

    /// <summary>The candidate line to put in our SDP (RFC 8839 §5.1): one host candidate, our socket.</summary>
    public string CandidateLine => $"candidate:1 1 udp 2130706431 {LocalEndPoint.Address} {LocalEndPoint.Port} typ host";

    public void Start(RemoteDescription remote)
    {
        _remote = remote;
        _remotePassword = Encoding.ASCII.GetBytes(remote.Password);
        _remoteAddress = remote.Candidate.Serialize();
        if (_socket is not null)
        {
            _receiveLoop = ReceiveLoopAsync(_socket, _stop.Token);
        }
    }

    /// <summary>
    /// ICE then DTLS: checks every 50 ms until one is answered (and, against a full agent, until it has checked us —
    /// otherwise its pair is not yet valid and it may drop our ClientHello), then the DTLS handshake on a thread of
    /// its own (BouncyCastle blocks), then SRTP keys.
    /// </summary>
    public async Task ConnectAsync(bool waitForRemoteCheck, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var ready = waitForRemoteCheck ? Task.WhenAll(_checkSucceeded.Task, _remoteChecked.Task) : _checkSucceeded.Task;
        while (!ready.IsCompleted)
        {
            SendCheck();
            try
            {
                await ready.WaitAsync(TimeSpan.FromMilliseconds(50), deadline.Token).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Next check.
            }
        }

        var client = new DtlsSrtpClient(_certificate, _remote!.Fingerprint);
        var handshake = Task.Factory.StartNew(
            () => new DtlsClientProtocol(new SecureRandom()).Connect(client, _dtls),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        try
        {
            await handshake.WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _dtls.Close(); // unblocks the handshake thread, which then fails
            throw new TimeoutException("DTLS handshake did not complete in time.");
        }

        _dtlsDone = true;
        _dtls.Close();
        var (clientKey, serverKey) = SrtpMasterKey.FromDtlsExporter(client.SrtpKeyingMaterial, client.SelectedSrtpProfile);

        // RFC 5764 §4.2: as DTLS client we send with the client key and receive with the server's.
        Volatile.Write(ref _inbound, new SrtpContext(serverKey));
        Volatile.Write(ref _outbound, new SrtpContext(clientKey));
    }

    /// <summary>A Binding Request on our only pair: a connectivity check at first, a consent refresh (RFC 7675) later.</summary>
    public void SendCheck()
    {
        if (_remote is null)
        {
            return;
        }

        Span<byte> buffer = stackalloc byte[256];
        var writer = new StunWriter(buffer, Stun.BindingRequest, RandomNumberGenerator.GetBytes(12));
        writer.AddAttribute(Stun.AttrUsername, Encoding.ASCII.GetBytes(_remote.Ufrag + ":" + Ufrag));
        writer.AddUInt32(Stun.AttrPriority, 1853824767);
        if (Controlling)
        {
            writer.AddUInt64(Stun.AttrIceControlling, _tieBreaker);
            writer.AddAttribute(Stun.AttrUseCandidate, []); // aggressive nomination: our only pair
        }
        else
        {
            writer.AddUInt64(Stun.AttrIceControlled, _tieBreaker);
        }

        writer.AddMessageIntegrity(_remotePassword);
        writer.AddFingerprint();
        SendRaw(buffer[..writer.Length]);
    }

    /// <summary>Protects and sends one RTP packet. Publisher only; called from its single sending thread.</summary>
    public void SendRtp(ReadOnlySpan<byte> rtp)
    {
        var outbound = Volatile.Read(ref _outbound);
        if (outbound is null)
        {
            return;
        }

        rtp.CopyTo(_sendBuffer);
        var length = outbound.ProtectRtp(_sendBuffer, rtp.Length);
        if (length > 0)
        {
            SendRaw(_sendBuffer.AsSpan(0, length));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _dtls.Dispose();
        _socket?.Dispose();
        _host?.Detach(_local);
        try
        {
            await _receiveLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        _inbound?.Dispose();
        _outbound?.Dispose();
        _stop.Dispose();
    }

    /// <summary>
    /// SO_RCVBUF is capped by net.core.rmem_max (208 KiB by default, ~90 full-size datagrams); when running as root,
    /// SO_RCVBUFFORCE (socket(7)) lifts the cap for this socket only. Otherwise the capped size is what we get.
    /// </summary>
    private static void SetReceiveBuffer(Socket socket, int bytes)
    {
        const int SolSocket = 1;
        const int SoRcvBufForce = 33;
        socket.ReceiveBufferSize = bytes;
        if (OperatingSystem.IsLinux())
        {
            try
            {
                socket.SetRawSocketOption(SolSocket, SoRcvBufForce, BitConverter.GetBytes(bytes));
            }
            catch (SocketException)
            {
                // Not privileged: keep the capped buffer.
            }
        }
    }

    private void SendRaw(ReadOnlySpan<byte> datagram) => SendTo(datagram, _remoteAddress!);

    private void SendTo(ReadOnlySpan<byte> datagram, SocketAddress remote)
    {
        if (_host is not null)
        {
            _host.Send(_local, datagram, remote);
            return;
        }

        try
        {
            _socket!.SendTo(datagram, SocketFlags.None, remote);
        }
        catch (SocketException)
        {
            // Loopback ICMP port unreachable after the far side went away: nothing to do.
        }
        catch (ObjectDisposedException)
        {
            // Tearing down.
        }
    }

    /// <summary>
    /// One loop per socket; with DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 (run.sh) it runs on the runtime's
    /// few epoll threads, so hundreds of receivers need no thread each.
    /// </summary>
    private async Task ReceiveLoopAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[2048];
        var from = new SocketAddress(AddressFamily.InterNetwork);
        while (!cancellationToken.IsCancellationRequested)
        {
            int received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, from, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            var now = System.Diagnostics.Stopwatch.GetTimestamp();
            OnDatagram(buffer.AsSpan(0, received), from, arrivedTicks: null, now);
        }
    }

    /// <summary>
    /// One datagram for this peer, read at <paramref name="readTicks"/>; <paramref name="arrivedTicks"/> is the kernel's
    /// arrival stamp when the reader already has it (a <see cref="ReceiverHost"/>), else null (asked for when timed).
    /// </summary>
    internal void OnDatagram(Span<byte> datagram, SocketAddress from, long? arrivedTicks, long readTicks)
    {
        switch (PacketClassifier.Classify(datagram))
        {
            case PacketKind.Rtp:
                OnRtp(datagram, arrivedTicks, readTicks);
                break;
            case PacketKind.Stun:
                OnStun(datagram, from);
                break;
            case PacketKind.Dtls when !_dtlsDone:
                _dtls.Enqueue(datagram);
                break;
            default:
                // RTCP (receiver reports, NACK, PLI) and late DTLS are not part of the measurement.
                break;
        }
    }

    private void OnRtp(Span<byte> datagram, long? arrivedTicks, long now)
    {
        var inbound = Volatile.Read(ref _inbound);
        if (Stats is null || inbound is null)
        {
            return;
        }

        int length;
        if (++_rtpPackets % VerifyEvery != 0 && inbound.DecryptTailUnverified(datagram, PacketStamp.Length, out length) == SrtpResult.Ok)
        {
            Stats.Unverified++;
        }
        else if (inbound.UnprotectRtp(datagram, out length) != SrtpResult.Ok)
        {
            Stats.SrtpFailures++;
            return;
        }

        var packet = datagram[..length];
        if (RtpHeader.TryParse(packet, out var header) && PacketStamp.TryRead(header.Payload(packet), out var index, out var sent))
        {
            // Behind a receiver host the kernel's stamp comes with every datagram: every packet is timed.
            var timed = (arrivedTicks is not null || (index + _delayPhase) % (uint)DelayEvery == 0) && _window!.Contains(sent);
            // A socket of its own: the kernel's stamp of the datagram just read, asked for only when timed.
            var arrived = arrivedTicks ?? (timed && _arrival is not null ? now - (long)(_arrival.LastDatagramDelay().TotalSeconds * System.Diagnostics.Stopwatch.Frequency) : now);
            Stats.OnPacket(index, sent, arrived, now, timed, _window!);
        }
    }

    private void OnStun(Span<byte> datagram, SocketAddress from)
    {
        if (!StunMessage.TryParse(datagram, out var message))
        {
            return;
        }

        if (message.Type == Stun.BindingSuccess)
        {
            if (message.VerifyIntegrity(datagram, _remotePassword))
            {
                _checkSucceeded.TrySetResult();
            }

            return;
        }

        if (message.Type != Stun.BindingRequest)
        {
            return;
        }

        // The far side's check (RFC 8445 §7.3): USERNAME "<our ufrag>:<its ufrag>", integrity with our password.
        var username = message.Username(datagram);
        if (username.Length <= Ufrag.Length || username[Ufrag.Length] != (byte)':'
            || !username[..Ufrag.Length].SequenceEqual(Encoding.ASCII.GetBytes(Ufrag))
            || !message.VerifyIntegrity(datagram, _localPassword))
        {
            return;
        }

        var writer = new StunWriter(_responseBuffer, Stun.BindingSuccess, message.TransactionId(datagram));
        writer.AddXorMappedAddress((IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(from));
        writer.AddMessageIntegrity(_localPassword);
        writer.AddFingerprint();
        SendTo(_responseBuffer.AsSpan(0, writer.Length), from);
        _remoteChecked.TrySetResult();
    }
}
