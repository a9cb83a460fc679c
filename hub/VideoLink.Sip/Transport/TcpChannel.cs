using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using VideoLink.Sip.Parsing;

namespace VideoLink.Sip.Transport;

/// <summary>
/// TCP listener plus connection table. Responses and later requests to the same peer reuse its connection
/// (RFC 3261 §18.2.2, §18.1.1); a peer without one gets a new outbound connection.
/// </summary>
internal sealed class TcpChannel(SipTransportLayer layer, ILogger logger) : IAsyncDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<long, Connection> _byId = new();
    private readonly ConcurrentDictionary<IPEndPoint, Connection> _byEndPoint = new();
    private Socket? _listener;
    private Task? _acceptLoop;
    private long _nextId;

    public IPEndPoint? LocalEndPoint => _listener?.LocalEndPoint as IPEndPoint;

    public void Start(IPEndPoint bind)
    {
        var listener = new Socket(bind.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(bind);
        listener.Listen(512);
        _listener = listener;
        SipLog.Listening(logger, "TCP", listener.LocalEndPoint!);
        _acceptLoop = Task.Run(() => AcceptLoopAsync(listener, _stop.Token));
    }

    private async Task AcceptLoopAsync(Socket listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var socket = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
                socket.NoDelay = true;
                _ = Track(socket); // fire-and-forget: each connection runs its own loop until it closes
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            catch (SocketException ex)
            {
                SipLog.ReceiveLoopError(logger, "TCP", ex);
            }
        }
    }

    private Connection Track(Socket socket)
    {
        var remote = (IPEndPoint)socket.RemoteEndPoint!;
        var connection = new Connection(Interlocked.Increment(ref _nextId), socket, remote);
        _byId[connection.Id] = connection;
        _byEndPoint[remote] = connection;
        connection.Loop = Task.Run(() => ReadLoopAsync(connection, _stop.Token));
        return connection;
    }

    private async Task ReadLoopAsync(Connection connection, CancellationToken cancellationToken)
    {
        int max = layer.MaxMessageSize;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Min(max, 8192) + 4);
        int filled = 0;
        var remote = new SipRemote(SipTransportKind.Tcp, connection.Remote, connection.Id);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (filled == buffer.Length)
                {
                    if (buffer.Length >= max + 4)
                    {
                        layer.Counters.Dropped();
                        break; // larger than any acceptable message and still incomplete: the stream is lost.
                    }
                    byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, max + 4));
                    buffer.AsSpan(0, filled).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                int n;
                if (filled == 0)
                {
                    n = await connection.Socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    // A message has begun and must finish in time: a Content-Length larger than the body, or a
                    // stalled sender, would otherwise hold the connection (and the peer's transaction) forever.
                    using var started = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    started.CancelAfter(layer.IncompleteMessageTimeout);
                    try
                    {
                        n = await connection.Socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, started.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        // Read what arrived as a whole message: a short body becomes an answerable 400, then close.
                        layer.ProcessInbound(buffer.AsSpan(0, filled), remote, SipFraming.Datagram, out _);
                        break;
                    }
                }
                if (n == 0)
                {
                    break;
                }
                filled += n;
                int offset = 0;
                bool close = false;
                while (offset < filled)
                {
                    int used = layer.ProcessInbound(buffer.AsSpan(offset, filled - offset), remote, SipFraming.Stream, out close);
                    if (close || used == 0)
                    {
                        break;
                    }
                    offset += used;
                }
                if (close)
                {
                    break;
                }
                if (offset > 0)
                {
                    buffer.AsSpan(offset, filled - offset).CopyTo(buffer);
                    filled -= offset;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
#pragma warning disable CA1031 // A broken connection never takes the listener down.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            SipLog.ReceiveLoopError(logger, "TCP", ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            Remove(connection);
            SipLog.ConnectionClosed(logger, connection.Id, connection.Remote);
            layer.OnConnectionClosed(remote);
        }
    }

    private void Remove(Connection connection)
    {
        _byId.TryRemove(connection.Id, out _);
        _byEndPoint.TryRemove(new KeyValuePair<IPEndPoint, Connection>(connection.Remote, connection));
        connection.Socket.Dispose();
    }

    public async ValueTask<SipSendResult> SendAsync(ReadOnlyMemory<byte> data, SipRemote target, CancellationToken cancellationToken)
    {
        if (!(target.ConnectionId != 0 && _byId.TryGetValue(target.ConnectionId, out var connection))
            && !_byEndPoint.TryGetValue(target.EndPoint, out connection))
        {
            connection = await ConnectAsync(target.EndPoint, cancellationToken).ConfigureAwait(false);
            if (connection is null)
            {
                return SipSendResult.NoConnection;
            }
        }
        await connection.SendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            int sent = 0;
            while (sent < data.Length)
            {
                sent += await connection.Socket.SendAsync(data[sent..], SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }
            return SipSendResult.Sent;
        }
        catch (SocketException)
        {
            Remove(connection);
            return SipSendResult.Failed;
        }
        catch (ObjectDisposedException)
        {
            return SipSendResult.NoConnection;
        }
        finally
        {
            connection.SendLock.Release();
        }
    }

    private async Task<Connection?> ConnectAsync(IPEndPoint target, CancellationToken cancellationToken)
    {
        var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(target, cancellationToken).AsTask().WaitAsync(ConnectTimeout, cancellationToken).ConfigureAwait(false);
            return Track(socket);
        }
        catch (Exception ex) when (ex is SocketException or TimeoutException)
        {
            socket.Dispose();
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        foreach (var c in _byId.Values)
        {
            c.Socket.Dispose();
        }
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        foreach (var c in _byId.Values)
        {
            if (c.Loop is not null)
            {
                await c.Loop.ConfigureAwait(false);
            }
        }
        _stop.Dispose();
    }

    private sealed class Connection(long id, Socket socket, IPEndPoint remote)
    {
        public long Id { get; } = id;
        public Socket Socket { get; } = socket;
        public IPEndPoint Remote { get; } = remote;
        public SemaphoreSlim SendLock { get; } = new(1, 1);
        public Task? Loop { get; set; }
    }
}
