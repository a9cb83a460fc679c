using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using VideoLink.Sip.Parsing;

namespace VideoLink.Sip.Transport;

/// <summary>
/// SIP over WebSocket (RFC 7118): the host accepts the socket with subprotocol "sip" and hands it here.
/// Each WebSocket message carries exactly one SIP message (§5.2), so framing is per message, like a datagram.
/// </summary>
internal sealed class WebSocketChannel(SipTransportLayer layer, ILogger logger) : IAsyncDisposable
{
    public const string SubProtocol = "sip";

    private readonly ConcurrentDictionary<long, Connection> _byId = new();
    private long _nextId;

    public async Task RunAsync(WebSocket socket, IPEndPoint remote, CancellationToken cancellationToken)
    {
        var connection = new Connection(Interlocked.Increment(ref _nextId) | (1L << 40), socket);
        _byId[connection.Id] = connection;
        var source = new SipRemote(SipTransportKind.WebSocket, remote, connection.Id);
        int max = layer.MaxMessageSize;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(max + 1);
        try
        {
            while (socket.State == WebSocketState.Open && !cancellationToken.IsCancellationRequested)
            {
                int filled = 0;
                ValueWebSocketReceiveResult result;
                bool tooLarge = false;
                do
                {
                    if (filled >= max)
                    {
                        tooLarge = true;
                        filled = 0; // keep reading and discard the rest of this message
                    }
                    result = await socket.ReceiveAsync(buffer.AsMemory(filled, max + 1 - filled), cancellationToken).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken).ConfigureAwait(false);
                        return;
                    }
                    filled += result.Count;
                }
                while (!result.EndOfMessage);
                if (tooLarge)
                {
                    layer.Counters.Dropped();
                    continue;
                }
                layer.ProcessInbound(buffer.AsSpan(0, filled), source, SipFraming.Datagram, out _);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (WebSocketException)
        {
        }
#pragma warning disable CA1031 // A broken connection never takes the stack down.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            SipLog.ReceiveLoopError(logger, "WS", ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            _byId.TryRemove(connection.Id, out _);
            SipLog.ConnectionClosed(logger, connection.Id, remote);
            layer.OnConnectionClosed(source);
        }
    }

    public async ValueTask<SipSendResult> SendAsync(ReadOnlyMemory<byte> data, SipRemote target, CancellationToken cancellationToken)
    {
        if (!_byId.TryGetValue(target.ConnectionId, out var connection))
        {
            // RFC 7118 §5: the server cannot open a WebSocket to a client; without the connection there is no route.
            return SipSendResult.NoConnection;
        }
        await connection.SendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await connection.Socket.SendAsync(data, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
            return SipSendResult.Sent;
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            return SipSendResult.Failed;
        }
        finally
        {
            connection.SendLock.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        foreach (var c in _byId.Values)
        {
            c.Socket.Abort();
        }
        return ValueTask.CompletedTask;
    }

    private sealed class Connection(long id, WebSocket socket)
    {
        public long Id { get; } = id;
        public WebSocket Socket { get; } = socket;
        public SemaphoreSlim SendLock { get; } = new(1, 1);
    }
}
