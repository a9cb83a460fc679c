using System.Net;
using System.Net.Sockets;

namespace VideoLink.Hardware.Transport;

/// <summary>A TCP client link (Samsung MDC 1515, PJLink 4352, VISCA raw 5678, NEC 7142).</summary>
public sealed class TcpTransport : TransportBase
{
    /// <summary>How long a connect may take before it counts as failed.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(3);

    private readonly string _host;
    private readonly int _port;
    private readonly TimeSpan _connectTimeout;
    private readonly object _gate = new();
    private Socket? _socket;

    /// <summary>Creates a transport for <paramref name="host"/>:<paramref name="port"/>; nothing is opened yet.</summary>
    public TcpTransport(string host, int port, TimeSpan? connectTimeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        _host = host;
        _port = port;
        _connectTimeout = connectTimeout ?? DefaultConnectTimeout;
    }

    /// <inheritdoc />
    public override string Description => $"tcp:{_host}:{_port}";

    /// <inheritdoc />
    public override async ValueTask OpenAsync(CancellationToken cancellationToken)
    {
        await CloseSocketAsync().ConfigureAwait(false);
        SetState(TransportState.Opening);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_connectTimeout);
        try
        {
            await socket.ConnectAsync(_host, _port, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            socket.Dispose();
            var error = new TransportException($"Cannot connect to {Description}: {ex.Message}", ex);
            SetState(TransportState.Disconnected, error);
            throw error;
        }
        catch
        {
            socket.Dispose();
            SetState(TransportState.Closed);
            throw;
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
            while (!data.IsEmpty)
            {
                int sent = await socket.SendAsync(data, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                data = data[sent..];
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            throw Lost(ex);
        }
    }

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var socket = CurrentSocket();
        int read;
        try
        {
            read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            throw Lost(ex);
        }

        if (read == 0)
        {
            // An orderly close by the peer: PJLink projectors do this after ~30 s idle.
            throw Lost(null);
        }

        return read;
    }

    /// <inheritdoc />
    public override async ValueTask CloseAsync(CancellationToken cancellationToken)
    {
        await CloseSocketAsync().ConfigureAwait(false);
        SetState(TransportState.Closed);
    }

    private Socket CurrentSocket()
    {
        lock (_gate)
        {
            return _socket is not null && State == TransportState.Open
                ? _socket
                : throw new TransportClosedException($"{Description} is {State}.");
        }
    }

    private TransportClosedException Lost(Exception? cause)
    {
        var error = cause is null
            ? new TransportClosedException($"{Description} was closed by the device.")
            : new TransportClosedException($"{Description} was lost: {cause.Message}", cause);
        if (State == TransportState.Open)
        {
            SetState(TransportState.Disconnected, error);
        }

        return error;
    }

    private ValueTask CloseSocketAsync()
    {
        Socket? socket;
        lock (_gate)
        {
            socket = _socket;
            _socket = null;
        }

        socket?.Dispose();
        return ValueTask.CompletedTask;
    }
}
