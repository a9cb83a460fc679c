using System.Net;
using System.Net.Sockets;

namespace VideoLink.Hardware.Transport;

/// <summary>
/// A connected UDP socket (VISCA over IP, UDP 52381). Each read returns one datagram; an ICMP
/// "port unreachable" is not a lost link for UDP, so it is skipped and the read goes on.
/// </summary>
public sealed class UdpTransport : TransportBase
{
    private readonly string _host;
    private readonly int _port;
    private readonly object _gate = new();
    private Socket? _socket;

    /// <summary>Creates a transport towards <paramref name="host"/>:<paramref name="port"/>.</summary>
    public UdpTransport(string host, int port)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        _host = host;
        _port = port;
    }

    /// <inheritdoc />
    public override string Description => $"udp:{_host}:{_port}";

    /// <inheritdoc />
    public override async ValueTask OpenAsync(CancellationToken cancellationToken)
    {
        await CloseAsync(cancellationToken).ConfigureAwait(false);
        SetState(TransportState.Opening);
        var socket = new Socket(SocketType.Dgram, ProtocolType.Udp);
        try
        {
            await socket.ConnectAsync(_host, _port, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            var error = new TransportException($"Cannot reach {Description}: {ex.Message}", ex);
            SetState(TransportState.Disconnected, error);
            throw error;
        }

        lock (_gate)
        {
            _socket = socket;
        }

        SetState(TransportState.Open);
    }

    /// <inheritdoc />
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var socket = CurrentSocket();
        try
        {
            await socket.SendAsync(data, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            // A previous datagram bounced (camera not listening yet); the request's timeout handles it.
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            throw new TransportClosedException($"{Description} failed: {ex.Message}", ex);
        }
    }

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            var socket = CurrentSocket();
            try
            {
                return await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset)
            {
                // ICMP port unreachable for an earlier datagram: keep listening.
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                throw new TransportClosedException($"{Description} failed: {ex.Message}", ex);
            }
        }
    }

    /// <inheritdoc />
    public override ValueTask CloseAsync(CancellationToken cancellationToken)
    {
        Socket? socket;
        lock (_gate)
        {
            socket = _socket;
            _socket = null;
        }

        socket?.Dispose();
        SetState(TransportState.Closed);
        return ValueTask.CompletedTask;
    }

    private Socket CurrentSocket()
    {
        lock (_gate)
        {
            return _socket ?? throw new TransportClosedException($"{Description} is {State}.");
        }
    }
}
