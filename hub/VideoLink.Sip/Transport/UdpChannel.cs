using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using VideoLink.Sip.Parsing;

namespace VideoLink.Sip.Transport;

/// <summary>
/// One UDP socket for receiving and sending, so rport (RFC 3581) sees the same port both ways. Several receive loops,
/// each on its own thread, block in <c>recvfrom</c> on that socket and handle what they read inline (parse, match,
/// answer), the way Kamailio's UDP workers share one socket: a registration storm uses every core, and no datagram
/// waits for a thread-pool hop. Sends are synchronous <c>sendto</c>: a UDP send never blocks for long, and the
/// socket stays in blocking mode (an async call would switch it to non-blocking and make the loops poll).
/// </summary>
internal sealed class UdpChannel(SipTransportLayer layer, ILogger logger) : IAsyncDisposable
{
    private const int ReceiveBufferBytes = 4 << 20;

    private Socket? _socket;
    private Task[] _loops = [];
    private volatile bool _stopping;

    public IPEndPoint? LocalEndPoint => _socket?.LocalEndPoint as IPEndPoint;

    /// <summary>How many receive loops run (set by <see cref="Start"/>).</summary>
    public int LoopCount => _loops.Length;

    public void Start(IPEndPoint bind, int loops)
    {
        var socket = new Socket(bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.ReceiveBufferSize = ReceiveBufferBytes; // the kernel caps it at net.core.rmem_max
        // A blocked recvfrom is woken by Dispose (shutdown); the timeout only bounds how long a loop can miss that.
        socket.ReceiveTimeout = 1000;
        socket.Bind(bind);
        _socket = socket;
        var delayProbe = ReceiveQueueDelay.TryCreate(socket);
        SipLog.Listening(logger, "UDP", socket.LocalEndPoint!);
        _loops = new Task[Math.Max(1, loops)];
        for (int i = 0; i < _loops.Length; i++)
        {
            // LongRunning = a dedicated thread: the loop blocks in the kernel, never on a pool thread.
            _loops[i] = Task.Factory.StartNew(() => ReceiveLoop(socket, delayProbe), CancellationToken.None,
                TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
    }

    private void ReceiveLoop(Socket socket, ReceiveQueueDelay? delayProbe)
    {
        Thread.CurrentThread.Name = "SIP UDP receive";
        byte[] buffer = GC.AllocateUninitializedArray<byte>(65536, pinned: true);
        var address = new SocketAddress(socket.AddressFamily);
        var lastAddress = new SocketAddress(socket.AddressFamily);
        var endPointFactory = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        SipRemote? lastRemote = null;
        long lastProbe = 0;
        long probeInterval = System.Diagnostics.Stopwatch.Frequency / 1000;
        while (!_stopping)
        {
            int received;
            try
            {
                received = socket.ReceiveFrom(buffer, SocketFlags.None, address);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock or SocketError.Interrupted)
            {
                continue;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize && !_stopping)
            {
                // ICMP port unreachable from an earlier send, or an oversize datagram: count and go on.
                layer.Counters.Dropped();
                continue;
            }
            catch (SocketException) when (_stopping)
            {
                break;
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            // At most once a millisecond per loop while the queue is short: the delay moves slowly, and each probe is a
            // system call. Near the shedding threshold every datagram is measured, so each is judged by its own wait.
            if (delayProbe is not null
                && (layer.ReceiveDelayIsNearLimit || System.Diagnostics.Stopwatch.GetTimestamp() - lastProbe >= probeInterval))
            {
                layer.NoteReceiveDelay(delayProbe.LastDatagramDelay());
                lastProbe = System.Diagnostics.Stopwatch.GetTimestamp();
            }
            // Phones (and SIPp) send many datagrams from one address: reuse its SipRemote instead of allocating one each time.
            if (lastRemote is null || !address.Equals(lastAddress))
            {
                lastRemote = new SipRemote(SipTransportKind.Udp, (IPEndPoint)endPointFactory.Create(address));
                address.Buffer.Span[..address.Size].CopyTo(lastAddress.Buffer.Span);
                lastAddress.Size = address.Size;
            }
            try
            {
                layer.ProcessInbound(buffer.AsSpan(0, received), lastRemote, SipFraming.Datagram, out _);
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

    public SipSendResult Send(ReadOnlySpan<byte> data, IPEndPoint target)
    {
        var socket = _socket;
        if (socket is null)
        {
            return SipSendResult.NoConnection;
        }
        try
        {
            socket.SendTo(data, SocketFlags.None, target);
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
        _stopping = true;
        _socket?.Dispose();
        await Task.WhenAll(_loops).ConfigureAwait(false);
    }
}
