using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Org.BouncyCastle.Crypto.Tls;
using Org.BouncyCastle.Security;
using VideoLink.Media.Dtls;
using VideoLink.Media.Ice;
using VideoLink.Media.Net;
using VideoLink.Media.Rtp;
using VideoLink.Media.Sdp;
using VideoLink.Media.Srtp;

namespace VideoLink.Media.Tests.Support;

/// <summary>
/// A minimal in-process WebRTC client on a real UDP socket: offers, does ICE checks (as the controlling agent),
/// a BouncyCastle DTLS client handshake, and SRTP with our contexts. Used where a browser cannot be steered into the
/// situation under test (wrong integrity, silence after connecting, replays).
/// </summary>
internal sealed class TestWebRtcClient : IAsyncDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly DtlsCertificate _certificate = DtlsCertificate.Generate("test-client");
    private readonly Dictionary<string, TaskCompletionSource<byte[]>> _pendingStun = [];
    private readonly Lock _stunLock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<byte[]> _rtp = Channel.CreateUnbounded<byte[]>();
    private readonly Channel<byte[]> _rtcp = Channel.CreateUnbounded<byte[]>();
    private readonly Task _receiveLoop;
    private readonly QueueDatagramTransport _dtls;
    private SrtpContext? _inbound;
    private SrtpContext? _outbound;
    private int _replayedRtp;

    public TestWebRtcClient()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _dtls = new QueueDatagramTransport(SendRaw);
        _receiveLoop = ReceiveLoopAsync(_stop.Token);
    }

    public string Ufrag { get; } = IceCredentials.NewUfrag();

    public string Password { get; } = IceCredentials.NewPassword();

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public IPEndPoint? Server { get; private set; }

    public string ServerUfrag { get; private set; } = string.Empty;

    public string ServerPassword { get; private set; } = string.Empty;

    public string ServerFingerprint { get; private set; } = string.Empty;

    public ChannelReader<byte[]> ReceivedRtp => _rtp.Reader;

    /// <summary>SRTP packets that arrived again with an already-seen index (e.g. a retransmission of a received packet).</summary>
    public int ReplayedRtp => Volatile.Read(ref _replayedRtp);

    public ChannelReader<byte[]> ReceivedRtcp => _rtcp.Reader;

    /// <summary>When set, DTLS from the endpoint is ignored: our handshake stalls after the ClientHello.</summary>
    public bool IgnoreDtls { get; set; }

    /// <summary>Our <c>a=setup</c>: "actpass" (the endpoint is DTLS server) or "passive" (we are).</summary>
    public string Setup { get; set; } = "actpass";

    /// <summary>The SRTP profiles this client offers (as DTLS client) or accepts (as DTLS server), preferred first.</summary>
    public IReadOnlyList<SrtpProfile> SrtpProfiles { get; set; } = VideoLink.Media.Srtp.SrtpProfiles.Default;

    /// <summary>What the handshake agreed on.</summary>
    public SrtpProfile NegotiatedSrtpProfile { get; private set; }

    /// <summary>When set, the offer advertises this fingerprint instead of the certificate's (a lying client).</summary>
    public string? AdvertisedFingerprint { get; set; }

    public string CreateOffer(string audioDirection = "sendrecv", string videoDirection = "sendrecv")
    {
        var sb = new StringBuilder();
        sb.Append("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n");
        AppendMedia(sb, "audio", "0", "111 0 8", audioDirection, 1111,
            "a=rtpmap:111 opus/48000/2\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n");
        AppendMedia(sb, "video", "1", "96 108", videoDirection, 2222,
            "a=rtpmap:96 VP8/90000\r\na=rtpmap:108 H264/90000\r\na=rtcp-fb:108 nack pli\r\n" +
            "a=fmtp:108 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f\r\n");
        return sb.ToString();
    }

    public void ApplyAnswer(string answer)
    {
        Assert.True(SdpDocument.TryParse(answer, out var sdp, out var error), error);
        var media = sdp.Media[0];
        ServerUfrag = media.Get("ice-ufrag")!;
        ServerPassword = media.Get("ice-pwd")!;
        ServerFingerprint = media.Get("fingerprint")!.Split(' ')[1];
        var candidate = media.Get("candidate")!.Split(' ');
        Server = new IPEndPoint(IPAddress.Parse(candidate[4]), int.Parse(candidate[5], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Sends a Binding Request (RFC 8445 §7.2.4) and returns the response, or null if none came in time.</summary>
    public async Task<byte[]?> CheckAsync(bool useCandidate, TimeSpan wait, string? password = null, string? username = null)
    {
        var txid = RandomNumberGenerator.GetBytes(12);
        var buffer = new byte[512];
        var writer = new StunWriter(buffer, Stun.BindingRequest, txid);
        writer.AddAttribute(Stun.AttrUsername, Encoding.ASCII.GetBytes(username ?? ServerUfrag + ":" + Ufrag));
        writer.AddUInt32(Stun.AttrPriority, 1853824767);
        writer.AddUInt64(Stun.AttrIceControlling, 0x1234_5678_9ABC_DEF0);
        if (useCandidate)
        {
            writer.AddAttribute(Stun.AttrUseCandidate, []);
        }

        writer.AddMessageIntegrity(Encoding.ASCII.GetBytes(password ?? ServerPassword));
        writer.AddFingerprint();
        var length = writer.Length;
        var tcs = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var key = Convert.ToHexString(txid);
        lock (_stunLock)
        {
            _pendingStun[key] = tcs;
        }

        SendRaw(buffer.AsSpan(0, length));
        try
        {
            return await tcs.Task.WaitAsync(wait).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    /// <summary>
    /// Runs the DTLS handshake in the role our offer implied and installs SRTP keys (RFC 5764 §4.2: each side sends
    /// with its own key).
    /// </summary>
    public async Task ConnectDtlsAsync(TimeSpan timeout)
    {
        var transport = _dtls;
        byte[]? material;
        bool weAreServer = Setup == "passive";
        if (weAreServer)
        {
            var server = new DtlsSrtpServer(_certificate, ServerFingerprint, SrtpProfiles);
            await Task.Factory.StartNew(
                () => new DtlsServerProtocol(new SecureRandom()).Accept(server, transport),
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default).WaitAsync(timeout).ConfigureAwait(false);
            material = server.SrtpKeyingMaterial;
            NegotiatedSrtpProfile = server.SelectedSrtpProfile;
        }
        else
        {
            var client = new DtlsSrtpClient(_certificate, ServerFingerprint, SrtpProfiles);
            await Task.Factory.StartNew(
                () => new DtlsClientProtocol(new SecureRandom()).Connect(client, transport),
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default).WaitAsync(timeout).ConfigureAwait(false);
            material = client.SrtpKeyingMaterial;
            NegotiatedSrtpProfile = client.SelectedSrtpProfile;
        }

        var (clientKey, serverKey) = SrtpMasterKey.FromDtlsExporter(material, NegotiatedSrtpProfile);
        _inbound = new SrtpContext(weAreServer ? clientKey : serverKey);
        _outbound = new SrtpContext(weAreServer ? serverKey : clientKey);
    }

    public string OfferFingerprint => _certificate.Fingerprint;

    /// <summary>Protects and sends an RTP packet; returns the SRTP bytes sent (for replay tests).</summary>
    public byte[] SendRtp(byte payloadType, ushort sequence, uint timestamp, uint ssrc, ReadOnlySpan<byte> payload, bool marker = false)
    {
        var buffer = new byte[2048];
        var length = RtpWriter.WriteHeader(buffer, marker, payloadType, sequence, timestamp, ssrc);
        payload.CopyTo(buffer.AsSpan(length));
        length = _outbound!.ProtectRtp(buffer, length + payload.Length);
        var packet = buffer.AsSpan(0, length).ToArray();
        SendRaw(packet);
        return packet;
    }

    public void SendRtcp(ReadOnlySpan<byte> rtcp)
    {
        var buffer = new byte[2048];
        rtcp.CopyTo(buffer);
        var length = _outbound!.ProtectRtcp(buffer, rtcp.Length);
        SendRaw(buffer.AsSpan(0, length));
    }

    public void SendRaw(ReadOnlySpan<byte> datagram) => _socket.SendTo(datagram, SocketFlags.None, Server!);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _dtls.Dispose();
        _socket.Dispose();
        try
        {
            await _receiveLoop.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _inbound?.Dispose();
        _outbound?.Dispose();
        _stop.Dispose();
    }

    private void AppendMedia(StringBuilder sb, string kind, string mid, string formats, string direction, uint ssrc, string codecs)
    {
        sb.Append("m=").Append(kind).Append(" 9 UDP/TLS/RTP/SAVPF ").Append(formats).Append("\r\n")
            .Append("c=IN IP4 0.0.0.0\r\n")
            .Append("a=ice-ufrag:").Append(Ufrag).Append("\r\n")
            .Append("a=ice-pwd:").Append(Password).Append("\r\n")
            .Append("a=fingerprint:sha-256 ").Append(AdvertisedFingerprint ?? _certificate.Fingerprint).Append("\r\n")
            .Append("a=setup:").Append(Setup).Append("\r\n")
            .Append("a=mid:").Append(mid).Append("\r\n")
            .Append("a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n")
            .Append("a=").Append(direction).Append("\r\n")
            .Append("a=rtcp-mux\r\n")
            .Append(codecs)
            .Append("a=ssrc:").Append(ssrc).Append(" cname:test\r\n");
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[2048];
        var from = new SocketAddress(AddressFamily.InterNetwork);
        while (!cancellationToken.IsCancellationRequested)
        {
            int received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, from, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var datagram = buffer.AsSpan(0, received);
            switch (PacketClassifier.Classify(datagram))
            {
                case PacketKind.Stun:
                    var key = Convert.ToHexString(datagram.Slice(8, 12));
                    TaskCompletionSource<byte[]>? tcs;
                    lock (_stunLock)
                    {
                        _pendingStun.Remove(key, out tcs);
                    }

                    tcs?.TrySetResult(datagram.ToArray());
                    break;
                case PacketKind.Dtls when !IgnoreDtls:
                    _dtls.Enqueue(datagram);
                    break;
                case PacketKind.Rtp when _inbound is not null:
                    var result = _inbound.UnprotectRtp(datagram, out var rtpLength);
                    if (result == SrtpResult.Ok)
                    {
                        _rtp.Writer.TryWrite(datagram[..rtpLength].ToArray());
                    }
                    else if (result == SrtpResult.Replayed)
                    {
                        Interlocked.Increment(ref _replayedRtp);
                    }

                    break;
                case PacketKind.Rtcp when _inbound is not null:
                    if (_inbound.UnprotectRtcp(datagram, out var rtcpLength) == SrtpResult.Ok)
                    {
                        _rtcp.Writer.TryWrite(datagram[..rtcpLength].ToArray());
                    }

                    break;
                default:
                    break;
            }
        }
    }
}
