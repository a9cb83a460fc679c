using System.Net;
using System.Net.Sockets;

namespace VideoLink.Media.Net;

/// <summary>Receives one datagram: the bytes (valid only during the call) and the sender's address.</summary>
internal delegate void DatagramHandler(Span<byte> datagram, SocketAddress remote);

/// <summary>
/// The single UDP socket every WebRTC leg shares. One receive loop on its own thread, one reused buffer and one reused
/// <see cref="SocketAddress"/>, so receiving allocates nothing per datagram. The handler must never throw; if it
/// does anyway the loop counts it and goes on.
/// </summary>
internal sealed class UdpMuxSocket : IDisposable
{
    public const int ReceiveBufferSize = 2048;

    private readonly Socket _socket;
    private readonly DatagramHandler _handler;
    private readonly Action<Exception> _onError;

    private readonly bool _batching;

    public UdpMuxSocket(IPEndPoint bind, DatagramHandler handler, Action<Exception> onError, bool batchSends = true)
    {
        _batching = batchSends && DatagramBatch.Supported;
        _socket = new Socket(bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _socket.ReceiveBufferSize = 4 * 1024 * 1024;
        _socket.SendBufferSize = 4 * 1024 * 1024;
        _socket.ReceiveTimeout = 1000;
        _socket.Bind(bind);
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _handler = handler;
        _onError = onError;
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>
    /// Runs the receive loop on a thread of its own that blocks in <c>recvfrom</c>: each datagram is handled where it
    /// was read, with no epoll wake-up and thread-pool hop in between (two context switches per datagram on a busy
    /// machine, and the publisher's packets waited for a pool thread the load generator also wanted). The socket stays
    /// in blocking mode, which the batched sends rely on too. Ends when <paramref name="cancellationToken"/> is cancelled
    /// and the socket is disposed (which wakes the blocked call; the receive timeout bounds the wait regardless).
    /// </summary>
    public Task StartReceiveLoop(CancellationToken cancellationToken) =>
        Task.Factory.StartNew(() => ReceiveLoop(cancellationToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void ReceiveLoop(CancellationToken cancellationToken)
    {
        Thread.CurrentThread.Name = "media-receive";
        var buffer = GC.AllocateUninitializedArray<byte>(ReceiveBufferSize, pinned: true);
        var remote = new SocketAddress(_socket.AddressFamily);
        while (!cancellationToken.IsCancellationRequested)
        {
            int received;
            try
            {
                received = _socket.ReceiveFrom(buffer, SocketFlags.None, remote);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock or SocketError.Interrupted)
            {
                continue;
            }
            catch (SocketException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            catch (SocketException ex)
            {
                // ICMP errors and the like surface here on some platforms; the socket stays usable.
                _onError(ex);
                continue;
            }

            try
            {
                _handler(buffer.AsSpan(0, received), remote);
            }
#pragma warning disable CA1031 // The receive loop must survive any bug in a handler: count it and go on.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _onError(ex);
            }
        }
    }

    public void Send(ReadOnlySpan<byte> datagram, SocketAddress remote)
    {
        try
        {
            _socket.SendTo(datagram, SocketFlags.None, remote);
        }
        catch (SocketException ex)
        {
            _onError(ex);
        }
        catch (ObjectDisposedException)
        {
            // Shutting down: nothing left to send to.
        }
    }

    /// <summary>
    /// Sends every datagram of the batch: one <c>sendmmsg</c> per run of datagrams the kernel accepts; a datagram it
    /// refuses (send buffer full, an ICMP error left by an earlier send) goes alone through <see cref="Send"/>, which
    /// waits for buffer space or counts the error exactly as an unbatched send would.
    /// </summary>
    public void SendBatch(DatagramBatch batch)
    {
        var next = 0;
        try
        {
            while (next < batch.Count)
            {
                var errno = 0;
                var sent = _batching ? batch.SendFrom(_socket.SafeHandle, next, out errno) : 0;
                if (sent > 0)
                {
                    next += sent;
                    continue;
                }

                if (errno == Eintr)
                {
                    continue;
                }

                Send(batch.Payload(next), batch.Target(next));
                next++;
            }
        }
        catch (ObjectDisposedException)
        {
            // Shutting down: nothing left to send to.
        }
    }

    private const int Eintr = 4;

    public void Dispose() => _socket.Dispose();
}
