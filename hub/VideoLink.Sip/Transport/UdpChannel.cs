using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using VideoLink.Sip.Parsing;

namespace VideoLink.Sip.Transport;

/// <summary>One UDP socket for receiving and sending, so rport (RFC 3581) sees the same port both ways.</summary>
internal sealed class UdpChannel(SipTransportLayer layer, ILogger logger) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Socket? _socket;
    private Task? _loop;

    public IPEndPoint? LocalEndPoint => _socket?.LocalEndPoint as IPEndPoint;

    public void Start(IPEndPoint bind)
    {
        var socket = new Socket(bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.ReceiveBufferSize = 1 << 20;
        socket.Bind(bind);
        _socket = socket;
        SipLog.Listening(logger, "UDP", socket.LocalEndPoint!);
        _loop = Task.Run(() => ReceiveLoopAsync(socket, _stop.Token));
    }

    private async Task ReceiveLoopAsync(Socket socket, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(65536);
        EndPoint any = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, cancellationToken).ConfigureAwait(false);
                    var remote = new SipRemote(SipTransportKind.Udp, (IPEndPoint)received.RemoteEndPoint);
                    layer.ProcessInbound(buffer.AsSpan(0, received.ReceivedBytes), remote, SipFraming.Datagram, out _);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
                catch (ObjectDisposedException)
                {
                    break;
                }
                catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
                {
                    // ICMP port unreachable from an earlier send, or an oversize datagram: count and go on.
                    layer.Counters.Dropped();
                }
#pragma warning disable CA1031 // The loop never dies on bad input (issue 4, item 7).
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    layer.Counters.Dropped();
                    SipLog.ReceiveLoopError(logger, "UDP", ex);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async ValueTask<SipSendResult> SendAsync(ReadOnlyMemory<byte> data, IPEndPoint target, CancellationToken cancellationToken)
    {
        var socket = _socket;
        if (socket is null)
        {
            return SipSendResult.NoConnection;
        }
        try
        {
            await socket.SendToAsync(data, SocketFlags.None, target, cancellationToken).ConfigureAwait(false);
            return SipSendResult.Sent;
        }
        catch (SocketException)
        {
            return SipSendResult.Failed;
        }
        catch (ObjectDisposedException)
        {
            return SipSendResult.NoConnection;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket?.Dispose();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }
        _stop.Dispose();
    }
}
