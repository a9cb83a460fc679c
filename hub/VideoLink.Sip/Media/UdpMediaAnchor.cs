using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace VideoLink.Sip.Media;

/// <summary>
/// Minimal RTP anchor on plain UDP sockets: echo (send each packet back to where it came from) or relay
/// between two legs. Symmetric RTP: the remote address is latched from the first packet received, which
/// gets through NAT where the SDP address would not (RFC 4961).
/// </summary>
public sealed class UdpMediaAnchor(IPAddress bindAddress) : IMediaAnchor
{
    public UdpMediaAnchor()
        : this(IPAddress.Any)
    {
    }

    public ValueTask<IAnchoredStream> AllocateAsync(SipMediaStream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        // RTP even, RTCP = RTP + 1 (RFC 3550 §11). Try a few OS-chosen even ports.
        for (int attempt = 0; attempt < 50; attempt++)
        {
            var rtp = new Socket(bindAddress.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            rtp.Bind(new IPEndPoint(bindAddress, 0));
            int port = ((IPEndPoint)rtp.LocalEndPoint!).Port;
            if (port % 2 != 0 || port == 65535)
            {
                rtp.Dispose();
                continue;
            }
            var rtcp = new Socket(bindAddress.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                rtcp.Bind(new IPEndPoint(bindAddress, port + 1));
            }
            catch (SocketException)
            {
                rtp.Dispose();
                rtcp.Dispose();
                continue;
            }
            return ValueTask.FromResult<IAnchoredStream>(new AnchoredStream(rtp, rtcp, stream));
        }
        throw new InvalidOperationException("No free RTP port pair.");
    }

    public void Echo(IAnchoredStream stream)
    {
        if (stream is AnchoredStream s)
        {
            s.StartEcho();
        }
    }

    public void Connect(IAnchoredStream a, IAnchoredStream b)
    {
        if (a is AnchoredStream sa && b is AnchoredStream sb)
        {
            sa.StartRelay(sb);
            sb.StartRelay(sa);
        }
    }

    private sealed class AnchoredStream(Socket rtp, Socket rtcp, SipMediaStream stream) : IAnchoredStream, IRtpPacketPort
    {
        private RtpPacketHandler? _terminate;
        private long _lastRtpTicks;
        private readonly CancellationTokenSource _stop = new();
        private readonly Socket _rtp = rtp;
        private readonly Socket _rtcp = rtcp;
        private AnchoredStream? _peer;
        private bool _echo;
        private EndPoint? _latchedRtp;
        private EndPoint? _latchedRtcp;
        private Task? _rtpLoop;
        private Task? _rtcpLoop;
        private long _received;
        private long _sent;
        private long _handlerErrors;
        // Fingerprints of packets recently echoed: a peer that echoes too (SIPp -rtp_echo, a looped phone)
        // would otherwise bounce every packet back and forth forever at line rate.
        private readonly int[] _echoed = new int[256];
        private int _echoedNext;

        public int Port { get; } = ((IPEndPoint)rtp.LocalEndPoint!).Port;
        public SipMediaStream Stream { get; private set; } = stream;
        public long PacketsReceived => Interlocked.Read(ref _received);
        public long PacketsSent => Interlocked.Read(ref _sent);

        public void Update(SipMediaStream stream) => Stream = stream;

        public void StartEcho()
        {
            _echo = true;
            StartLoops();
        }

        /// <summary>Packets whose <see cref="Terminate"/> handler threw.</summary>
        public long HandlerErrors => Interlocked.Read(ref _handlerErrors);

        public long LastRtpReceivedTicks => Interlocked.Read(ref _lastRtpTicks);

        public void Terminate(RtpPacketHandler handler)
        {
            ArgumentNullException.ThrowIfNull(handler);
            _terminate = handler;
            StartLoops();
        }

        public bool Send(ReadOnlySpan<byte> packet, bool rtcp)
        {
            EndPoint? target = rtcp ? _latchedRtcp : _latchedRtp;
            if (target is null && Stream.Remote is { } remote)
            {
                target = rtcp && !Stream.RtcpMux ? new IPEndPoint(remote.Address, remote.Port + 1) : remote;
            }
            if (target is null)
            {
                return false;
            }
            try
            {
                (rtcp && !Stream.RtcpMux ? _rtcp : _rtp).SendTo(packet, SocketFlags.None, target);
                Interlocked.Increment(ref _sent);
                return true;
            }
            catch (SocketException)
            {
                return false; // a peer that went away: a lost packet, not an error
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }

        public void StartRelay(AnchoredStream peer)
        {
            _peer = peer;
            StartLoops();
        }

        private void StartLoops()
        {
            _rtpLoop ??= Task.Run(() => LoopAsync(_rtp, rtcp: false, _stop.Token));
            _rtcpLoop ??= Task.Run(() => LoopAsync(_rtcp, rtcp: true, _stop.Token));
        }

        private async Task LoopAsync(Socket socket, bool rtcp, CancellationToken cancellationToken)
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(2048);
            EndPoint any = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
            try
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    SocketReceiveFromResult r;
                    try
                    {
                        r = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, cancellationToken).ConfigureAwait(false);
                    }
                    catch (SocketException)
                    {
                        continue; // ICMP unreachable from an earlier send
                    }
                    Interlocked.Increment(ref _received);
                    if (rtcp)
                    {
                        _latchedRtcp = r.RemoteEndPoint;
                    }
                    else
                    {
                        _latchedRtp = r.RemoteEndPoint;
                    }
                    var data = buffer.AsMemory(0, r.ReceivedBytes);
                    // RFC 5761 §4: with rtcp-mux, RTCP (PT 192–223 in the second byte) shares the RTP port.
                    bool isRtcp = rtcp || (r.ReceivedBytes > 1 && buffer[1] is >= 192 and <= 223);
                    if (!isRtcp)
                    {
                        Interlocked.Exchange(ref _lastRtpTicks, Environment.TickCount64);
                    }
                    if (_terminate is { } terminate)
                    {
                        try
                        {
                            terminate(this, data.Span, isRtcp);
                        }
#pragma warning disable CA1031 // The engine's failure on one packet must not end the stream's receive loop.
                        catch (Exception)
#pragma warning restore CA1031
                        {
                            Interlocked.Increment(ref _handlerErrors);
                        }
                    }
                    else if (_echo)
                    {
                        if (RememberEchoed(data.Span))
                        {
                            await SendAsync(socket, data, r.RemoteEndPoint, cancellationToken).ConfigureAwait(false);
                        }
                    }
                    else if (_peer is { } peer)
                    {
                        await peer.ForwardAsync(data, rtcp, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
            catch (ObjectDisposedException)
            {
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        /// <summary>False when this exact packet was echoed recently (it is our own echo coming back).</summary>
        private bool RememberEchoed(ReadOnlySpan<byte> packet)
        {
            var hash = new HashCode();
            hash.AddBytes(packet);
            int fingerprint = hash.ToHashCode();
            lock (_echoed)
            {
                if (Array.IndexOf(_echoed, fingerprint) >= 0)
                {
                    return false;
                }
                _echoed[_echoedNext] = fingerprint;
                _echoedNext = (_echoedNext + 1) % _echoed.Length;
                return true;
            }
        }

        private async ValueTask ForwardAsync(ReadOnlyMemory<byte> data, bool rtcp, CancellationToken cancellationToken)
        {
            EndPoint? target = rtcp ? _latchedRtcp : _latchedRtp;
            if (target is null && Stream.Remote is { } remote)
            {
                target = rtcp && !Stream.RtcpMux ? new IPEndPoint(remote.Address, remote.Port + 1) : remote;
            }
            if (target is null)
            {
                return;
            }
            var socket = rtcp && !Stream.RtcpMux ? _rtcp : _rtp;
            await SendAsync(socket, data, target, cancellationToken).ConfigureAwait(false);
        }

        private async ValueTask SendAsync(Socket socket, ReadOnlyMemory<byte> data, EndPoint target, CancellationToken cancellationToken)
        {
            try
            {
                await socket.SendToAsync(data, SocketFlags.None, target, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _sent);
            }
            catch (SocketException)
            {
                // A peer that went away: RTP loss is not an error worth more than a missed packet.
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            _rtp.Dispose();
            _rtcp.Dispose();
            if (_rtpLoop is not null)
            {
                await _rtpLoop.ConfigureAwait(false);
            }
            if (_rtcpLoop is not null)
            {
                await _rtcpLoop.ConfigureAwait(false);
            }
            _stop.Dispose();
        }
    }
}
